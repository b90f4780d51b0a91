package io.tandem.agent.ui.login;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
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
        HBox.setHgrow(login, javafx.scene.layout.Priority.ALWAYS);

        vm.problemFieldProperty().addListener((o, old, field) -> {
            for (var f : new javafx.scene.control.Control[] {url, tenant, agent, password}) {
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

        VBox card = new VBox(14, brand, subtitle, form, message, actions);
        card.getStyleClass().add("card");
        card.setPadding(new Insets(28));
        card.setMaxSize(440, USE_PREF_SIZE);
        getChildren().add(card);
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

    private static void mark(javafx.scene.control.Control control) {
        control.getStyleClass().add("invalid");
        control.requestFocus();
    }
}
