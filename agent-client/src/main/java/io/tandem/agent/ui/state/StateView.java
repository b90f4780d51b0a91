package io.tandem.agent.ui.state;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/** The header's state part: selector, state badge, wrap-up countdown with Done, and SIP/WebSocket pills. */
public final class StateView extends HBox {

    public StateView(StateViewModel vm) {
        super(10);
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add("state-bar");

        Label badge = new Label();
        badge.setId("state-badge");
        badge.getStyleClass().add("state-badge");
        badge.textProperty().bind(vm.stateTextProperty());
        vm.stateProperty().addListener((o, old, s) -> {
            badge.getStyleClass().removeIf(c -> c.startsWith("state-"));
            badge.getStyleClass().addAll("state-badge", "state-" + s.name().toLowerCase().replace('_', '-'));
        });

        ComboBox<String> selector = new ComboBox<>(vm.choices());
        selector.setId("state-selector");
        selector.setPromptText("Set state");
        selector.disableProperty().bind(vm.busyProperty());
        vm.selectedProperty().addListener((o, old, value) -> selector.getSelectionModel().select(value));
        selector.setOnAction(e -> vm.choose(selector.getValue()));

        Label countdown = new Label();
        countdown.setId("wrapup-countdown");
        countdown.getStyleClass().add("wrapup");
        countdown.textProperty().bind(Bindings.format("Wrap-up %d s", vm.wrapUpSecondsLeftProperty()));
        Button done = new Button("Done");
        done.setId("wrapup-done");
        done.setOnAction(e -> vm.done());
        HBox wrap = new HBox(6, countdown, done);
        wrap.setAlignment(Pos.CENTER_LEFT);
        wrap.visibleProperty().bind(vm.inWrapUpProperty());
        wrap.managedProperty().bind(wrap.visibleProperty());

        Label sip = pill("sip-status", vm.sipTextProperty(), vm.sipUpProperty());
        Label socket = pill("socket-status", vm.socketTextProperty(), vm.socketUpProperty());

        Label message = new Label();
        message.getStyleClass().add("inline-error");
        message.textProperty().bind(vm.messageProperty());

        getChildren().addAll(badge, selector, wrap, sip, socket, message);
    }

    private static Label pill(String id, javafx.beans.value.ObservableStringValue text,
                              javafx.beans.value.ObservableBooleanValue up) {
        Label pill = new Label();
        pill.setId(id);
        pill.getStyleClass().add("pill");
        pill.textProperty().bind(text);
        Runnable style = () -> {
            pill.getStyleClass().removeAll("pill-up", "pill-down");
            pill.getStyleClass().add(up.get() ? "pill-up" : "pill-down");
        };
        up.addListener((o, a, b) -> style.run());
        style.run();
        return pill;
    }
}
