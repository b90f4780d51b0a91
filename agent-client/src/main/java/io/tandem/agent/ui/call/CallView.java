package io.tandem.agent.ui.call;

import io.tandem.agent.ui.dialpad.Keypad;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The in-call card: remote party, timer, Hold (F7), Mute (F6), keypad, transfer, Hang up (F4). */
public final class CallView extends VBox {

    public CallView(CallViewModel vm) {
        super(12);
        setId("call-panel");
        getStyleClass().addAll("card", "in-call");

        Label phase = new Label();
        phase.setId("call-phase");
        phase.getStyleClass().add("card-title");
        phase.textProperty().bind(vm.phaseTextProperty());
        Label timer = new Label();
        timer.setId("call-timer");
        timer.getStyleClass().add("call-timer");
        timer.textProperty().bind(vm.timerProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(phase, gap, timer);
        top.setAlignment(Pos.CENTER_LEFT);

        Label remote = new Label();
        remote.setId("call-remote");
        remote.getStyleClass().add("caller-number");
        remote.textProperty().bind(vm.remoteProperty());
        Label name = new Label();
        name.setId("call-remote-name");
        name.getStyleClass().add("caller-name");
        name.textProperty().bind(vm.remoteNameProperty());
        name.visibleProperty().bind(vm.remoteNameProperty().isNotEmpty());
        name.managedProperty().bind(name.visibleProperty());
        Label detail = new Label();
        detail.getStyleClass().add("queue-chip");
        detail.textProperty().bind(vm.detailProperty());

        // Buttons showing their state (a ToggleButton would flip itself before the call did).
        Button hold = new Button();
        hold.setId("call-hold");
        hold.textProperty().bind(Bindings.when(vm.heldProperty()).then("Resume  F7").otherwise("Hold  F7"));
        active(hold, vm.heldProperty());
        hold.disableProperty().bind(vm.connectedProperty().not());
        hold.setOnAction(e -> vm.toggleHold());
        Button mute = new Button();
        mute.setId("call-mute");
        mute.textProperty().bind(Bindings.when(vm.mutedProperty()).then("Unmute  F6").otherwise("Mute  F6"));
        active(mute, vm.mutedProperty());
        mute.setOnAction(e -> vm.toggleMute());
        Button hangUp = new Button("Hang up  F4");
        hangUp.setId("call-hangup");
        hangUp.getStyleClass().add("danger");
        hangUp.setOnAction(e -> vm.hangUp());
        HBox controls = new HBox(10, hold, mute, hangUp);
        controls.setAlignment(Pos.CENTER_LEFT);

        Keypad keypad = new Keypad("call-key-", vm::dtmf);
        keypad.disableProperty().bind(vm.connectedProperty().not());
        Label sent = new Label();
        sent.getStyleClass().add("muted-text");
        sent.textProperty().bind(Bindings.concat("Tones sent: ", vm.digitsSentProperty()));
        sent.visibleProperty().bind(vm.digitsSentProperty().isNotEmpty());

        TextField target = new TextField();
        target.setId("transfer-target");
        target.setPromptText("Extension or queue");
        target.textProperty().bindBidirectional(vm.transferTargetProperty());
        target.setOnAction(e -> vm.transfer());
        Button transfer = new Button("Transfer");
        transfer.setId("transfer-button");
        transfer.disableProperty().bind(vm.connectedProperty().not());
        transfer.setOnAction(e -> vm.transfer());
        HBox transferRow = new HBox(8, target, transfer);
        HBox.setHgrow(target, Priority.ALWAYS);

        Label message = new Label();
        message.setId("call-message");
        message.getStyleClass().add("muted-text");
        message.textProperty().bind(vm.messageProperty());

        VBox keys = new VBox(6, keypad, sent);
        VBox right = new VBox(10, new Label("Blind transfer"), transferRow, message);
        HBox lower = new HBox(24, keys, right);
        HBox.setHgrow(right, Priority.ALWAYS);

        getChildren().addAll(top, remote, name, detail, controls, lower);
        visibleProperty().bind(vm.activeProperty());
        managedProperty().bind(visibleProperty());
    }

    private static final PseudoClass ACTIVE = PseudoClass.getPseudoClass("active");

    private static void active(Button button, ObservableBooleanValue on) {
        on.addListener((o, was, is) -> button.pseudoClassStateChanged(ACTIVE, is));
    }
}
