package io.tandem.agent.ui.callback;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The "caller waiting" card: who waits (name and number as plain text: a Label never reads markup), from which queue,
 * for how long, with Join and Dismiss.
 */
public final class CallbackWakeView extends VBox {

    public CallbackWakeView(CallbackWakeViewModel vm) {
        super(10);
        setId("callback-wake");
        getStyleClass().addAll("card", "offer", "callback-wake");

        Label title = new Label("Caller waiting");
        title.getStyleClass().add("card-title");
        Label name = new Label();
        name.setId("callback-wake-name");
        name.getStyleClass().add("caller-name");
        name.textProperty().bind(vm.callerNameProperty());
        name.visibleProperty().bind(vm.callerNameProperty().isNotEmpty());
        name.managedProperty().bind(name.visibleProperty());
        Label number = new Label();
        number.setId("callback-wake-number");
        number.getStyleClass().add("caller-number");
        number.textProperty().bind(vm.callerNumberProperty());
        Label queue = new Label();
        queue.setId("callback-wake-queue");
        queue.getStyleClass().add("queue-chip");
        queue.textProperty().bind(vm.queueProperty());
        Label waiting = new Label();
        waiting.setId("callback-wake-waiting");
        waiting.getStyleClass().add("muted-text");
        waiting.textProperty().bind(vm.waitingProperty());
        HBox meta = new HBox(10, queue, waiting);
        meta.setAlignment(Pos.CENTER_LEFT);

        Button join = new Button("Join");
        join.setId("callback-wake-join");
        join.getStyleClass().addAll("primary", "answer");
        join.setOnAction(e -> vm.join());
        Button dismiss = new Button("Dismiss");
        dismiss.setId("callback-wake-dismiss");
        dismiss.setOnAction(e -> vm.dismiss());
        HBox actions = new HBox(10, join, dismiss);
        actions.setAlignment(Pos.CENTER_LEFT);

        Label problem = new Label();
        problem.setId("callback-wake-message");
        problem.getStyleClass().add("inline-error");
        problem.textProperty().bind(vm.messageProperty());
        problem.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());

        getChildren().addAll(title, number, name, meta, actions, problem); // as the offer card: number, then name
        visibleProperty().bind(vm.showingProperty());
        managedProperty().bind(visibleProperty());
    }
}
