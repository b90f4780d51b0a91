package io.tandem.agent.ui.login;

import io.tandem.agent.ui.settings.ConnectionView;
import io.tandem.agent.ui.settings.SettingsViewModel;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Control;
import javafx.scene.control.Dialog;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The login card. Binds to {@link LoginViewModel}; Enter logs in. */
public final class LoginView extends StackPane {

    public LoginView(LoginViewModel vm) {
        getStyleClass().add("login-screen");
        Label brand = new Label("Tandem");
        brand.getStyleClass().add("brand");
        Label subtitle = new Label("Agent sign in");
        subtitle.getStyleClass().add("subtitle");

        TextField url = field("login-url", "http://10.0.0.5:8080");
        url.textProperty().bindBidirectional(vm.backendUrlProperty());
        TextField tenant = field("login-tenant", "demo");
        tenant.textProperty().bindBidirectional(vm.tenantProperty());
        TextField agent = field("login-agent", "1001");
        agent.textProperty().bindBidirectional(vm.agentIdProperty());
        PasswordField password = new PasswordField();
        password.setId("login-password");
        password.textProperty().bindBidirectional(vm.passwordProperty());

        GridPane form = new GridPane();
        form.getStyleClass().add("form");
        form.setHgap(12);
        form.setVgap(10);
        form.addRow(0, caption("Backend URL"), url);
        form.addRow(1, caption("Tenant"), tenant);
        form.addRow(2, caption("Agent id"), agent);
        form.addRow(3, caption("Password"), password);

        Label message = new Label();
        message.setId("login-message");
        message.getStyleClass().add("login-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        message.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());

        Button login = new Button("Sign in");
        login.setId("login-button");
        login.getStyleClass().add("primary");
        login.setDefaultButton(true);
        login.disableProperty().bind(vm.canLogInProperty().not());
        login.setOnAction(e -> vm.logIn());
        login.setMaxWidth(Double.MAX_VALUE);
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(22, 22);
        spinner.visibleProperty().bind(vm.busyProperty());
        HBox actions = new HBox(10, login, spinner);
        actions.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(login, Priority.ALWAYS);

        // The connection the sign-in will use, and where to change it before signing in (a TLS-only node).
        Label connection = new Label();
        connection.setId("login-connection");
        connection.getStyleClass().add("muted-text");
        connection.setWrapText(true);
        connection.textProperty().bind(vm.connectionProperty());
        connection.setMinHeight(USE_PREF_SIZE); // a long TLS description wraps instead of ending in "…"
        Hyperlink settings = new Hyperlink("Connection settings…");
        settings.setId("login-connection-settings");
        settings.setPadding(Insets.EMPTY); // its text lines up with the description's
        settings.setOnAction(e -> openConnectionSettings(vm, settings, agent.getText().isEmpty() ? agent : password));
        VBox connectionRow = new VBox(4, connection, settings);

        vm.problemFieldProperty().addListener((o, old, field) -> {
            for (var f : new Control[] {url, tenant, agent, password}) {
                f.getStyleClass().remove("invalid");
            }
            switch (field) {
                case URL -> mark(url);
                case TENANT -> mark(tenant);
                case AGENT -> mark(agent);
                case PASSWORD -> mark(password);
                default -> { }
            }
        });

        VBox card = new VBox(14, brand, subtitle, form, message, actions, connectionRow);
        card.getStyleClass().add("card");
        card.setPadding(new Insets(28));
        card.setMaxSize(440, USE_PREF_SIZE);
        getChildren().add(card);
    }

    /** The connection part of Settings, on its own: saved with its own button, applied by the next sign-in. */
    private void openConnectionSettings(LoginViewModel vm, Hyperlink link, Control next) {
        SettingsViewModel settings = vm.connectionSettings();
        Button save = new Button("Save");
        save.setId("settings-save");
        save.getStyleClass().add("primary");
        save.setOnAction(e -> settings.saveConnection());
        VBox content = new VBox(14, new ConnectionView(settings), save);
        content.getStyleClass().add("settings");
        Dialog<Void> dialog = new Dialog<>();
        dialog.setTitle("Connection settings");
        dialog.initOwner(getScene().getWindow());
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.getDialogPane().lookupButton(ButtonType.CLOSE).setId("settings-close");
        dialog.getDialogPane().getStylesheets().addAll(getScene().getStylesheets());
        dialog.setOnHidden(e -> {
            vm.connectionSettingsClosed();
            // Back to signing in: the field to fill next has the focus, the link no visited or focused look.
            link.setVisited(false);
            next.requestFocus();
        });
        dialog.show();
    }

    private static Label caption(String text) {
        Label l = new Label(text);
        l.setMinWidth(USE_PREF_SIZE); // never "Backend …"
        return l;
    }

    private static TextField field(String id, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.setPrefColumnCount(22);
        return f;
    }

    private static void mark(Control control) {
        control.getStyleClass().add("invalid");
        control.requestFocus();
    }
}
