package io.tandem.agent.ui.settings;

import java.io.File;
import java.util.Map;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The connection part of the settings (SIP transport, the nodes' TLS port, the certificate TLS trusts, SRTP), bound to
 * {@link SettingsViewModel}: in the settings sheet, and on its own from the sign-in screen, since an agent whose nodes
 * speak only TLS must set it up before the first sign-in.
 */
public final class ConnectionView extends VBox {
    private static final String INVALID = "invalid";

    public ConnectionView(SettingsViewModel vm) {
        super(10);
        setId("connection-settings");
        Label title = new Label("Connection");
        title.getStyleClass().add("card-title");
        ComboBox<String> transport = new ComboBox<>(vm.transports());
        transport.setId("settings-transport");
        transport.valueProperty().bindBidirectional(vm.transportProperty());
        TextField port = new TextField();
        port.setId("settings-tls-port");
        port.setPrefColumnCount(6);
        port.setMaxWidth(Region.USE_PREF_SIZE);
        port.textProperty().bindBidirectional(vm.tlsPortProperty());
        TextField trust = new TextField();
        trust.setId("settings-trust");
        trust.setPromptText("PEM file; empty: the system's CAs");
        trust.setPrefColumnCount(26);
        trust.textProperty().bindBidirectional(vm.trustedCertificatesProperty());
        Button browse = new Button("Choose…");
        browse.setId("settings-trust-browse");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Certificate or CA the nodes' TLS must chain to");
            chooser.getExtensionFilters().addAll(
                    new FileChooser.ExtensionFilter("PEM certificates", "*.pem", "*.crt", "*.cer"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            File chosen = chooser.showOpenDialog(getScene().getWindow());
            if (chosen != null) {
                vm.trustedCertificatesProperty().set(chosen.getAbsolutePath());
            }
        });
        browse.setMinWidth(Region.USE_PREF_SIZE);
        HBox trustRow = new HBox(8, trust, browse);
        HBox.setHgrow(trust, Priority.ALWAYS);
        ComboBox<String> srtp = new ComboBox<>(vm.srtpChoices());
        srtp.setId("settings-srtp");
        srtp.valueProperty().bindBidirectional(vm.srtpProperty());
        // The TLS port and trust matter only over TLS. SRTP stays editable: a value the checks refuse without TLS
        // must be one the agent can put right.
        port.disableProperty().bind(vm.tlsProperty().not());
        trustRow.disableProperty().bind(vm.tlsProperty().not());

        Label message = new Label();
        message.setId("settings-connection-message");
        message.setWrapText(true);
        message.setMaxWidth(460);
        // A wrapped message takes the lines it needs instead of ending in an ellipsis.
        message.setMinHeight(Region.USE_PREF_SIZE);
        message.textProperty().bind(vm.connectionMessageProperty());
        message.getStyleClass().add("muted-text");
        vm.connectionInvalidProperty().addListener((o, was, invalid) -> {
            message.getStyleClass().removeAll("inline-error", "muted-text");
            message.getStyleClass().add(invalid ? "inline-error" : "muted-text");
        });
        Map<String, Control> fields = Map.of(SettingsViewModel.FIELD_TRANSPORT, transport,
                SettingsViewModel.FIELD_TLS_PORT, port, SettingsViewModel.FIELD_TRUST, trust,
                SettingsViewModel.FIELD_SRTP, srtp);
        vm.invalidFieldProperty().addListener((o, was, field) -> {
            fields.values().forEach(c -> c.getStyleClass().remove(INVALID));
            Control bad = fields.get(field);
            if (bad != null) {
                bad.getStyleClass().add(INVALID);
            }
        });

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(10);
        grid.addRow(0, fieldLabel("Transport"), transport);
        grid.addRow(1, fieldLabel("TLS port"), port);
        grid.addRow(2, fieldLabel("Trust certificate"), trustRow);
        grid.addRow(3, fieldLabel("SRTP"), srtp);
        getChildren().addAll(title, grid, message);
    }

    /** A field's name, never cut short ("Trust certific…"). */
    private static Label fieldLabel(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }
}
