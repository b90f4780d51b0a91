package io.tandem.agent.ui.offer;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The ringing card: caller, queue, time waited, custom data, Answer (F2) and Decline. */
public final class OfferView extends VBox {

    public OfferView(OfferViewModel vm) {
        super(10);
        setId("offer-panel");
        getStyleClass().addAll("card", "offer");

        Label title = new Label("Incoming call");
        title.getStyleClass().add("card-title");
        Label number = new Label();
        number.setId("offer-number");
        number.getStyleClass().add("caller-number");
        number.textProperty().bind(vm.callerNumberProperty());
        Label name = new Label();
        name.setId("offer-name");
        name.getStyleClass().add("caller-name");
        name.textProperty().bind(vm.callerNameProperty());
        Label queue = new Label();
        queue.setId("offer-queue");
        queue.getStyleClass().add("queue-chip");
        queue.textProperty().bind(vm.queueProperty());
        Label waited = new Label();
        waited.setId("offer-waited");
        waited.getStyleClass().add("muted-text");
        waited.textProperty().bind(vm.waitedProperty());
        HBox meta = new HBox(10, queue, waited);
        meta.setAlignment(Pos.CENTER_LEFT);

        ListView<String> data = new ListView<>(vm.data());
        data.setId("offer-data");
        data.setPrefHeight(90);
        data.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.data()));
        data.managedProperty().bind(data.visibleProperty());

        Button answer = new Button("Answer  F2");
        answer.setId("offer-answer");
        answer.getStyleClass().addAll("primary", "answer");
        answer.disableProperty().bind(vm.canAnswerProperty().not());
        answer.setOnAction(e -> vm.answer());
        Button decline = new Button("Decline");
        decline.setId("offer-decline");
        decline.getStyleClass().add("danger");
        decline.setOnAction(e -> vm.decline());
        CheckBox auto = new CheckBox("Auto-answer");
        auto.setId("offer-auto-answer");
        auto.selectedProperty().bindBidirectional(vm.autoAnswerProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox actions = new HBox(10, answer, decline, gap, auto);
        actions.setAlignment(Pos.CENTER_LEFT);

        getChildren().addAll(title, number, name, meta, data, actions);
        visibleProperty().bind(vm.showingProperty());
        managedProperty().bind(visibleProperty());
    }
}
