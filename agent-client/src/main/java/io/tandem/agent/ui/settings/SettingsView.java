package io.tandem.agent.ui.settings;

import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/** The settings sheet: audio devices, auto-answer, ringtone; the connection (transport, TLS trust, SRTP). */
public final class SettingsView extends VBox {

    public SettingsView(SettingsViewModel vm) {
        super(14);
        setId("settings");
        getStyleClass().add("settings");
        vm.refreshDevices();
        ComboBox<String> mic = new ComboBox<>(vm.microphones());
        mic.setId("settings-microphone");
        mic.valueProperty().bindBidirectional(vm.microphoneProperty());
        ComboBox<String> spk = new ComboBox<>(vm.speakers());
        spk.setId("settings-speaker");
        spk.valueProperty().bindBidirectional(vm.speakerProperty());
        CheckBox auto = new CheckBox("Answer offers automatically");
        auto.setId("settings-auto-answer");
        auto.selectedProperty().bindBidirectional(vm.autoAnswerProperty());
        CheckBox ring = new CheckBox("Ringtone");
        ring.setId("settings-ringtone");
        ring.selectedProperty().bindBidirectional(vm.ringtoneProperty());
        Button refresh = new Button("Find devices again");
        refresh.setOnAction(e -> vm.refreshDevices());
        Button save = new Button("Save");
        save.setId("settings-save");
        save.getStyleClass().add("primary");
        save.setOnAction(e -> vm.save());
        Label now = new Label();
        now.getStyleClass().add("muted-text");
        now.textProperty().bind(vm.audioDescriptionProperty());

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(10);
        grid.addRow(0, new Label("Microphone"), mic);
        grid.addRow(1, new Label("Speaker"), spk);
        getChildren().addAll(grid, refresh, auto, ring, now, new Separator(), new ConnectionView(vm), save);
    }
}
