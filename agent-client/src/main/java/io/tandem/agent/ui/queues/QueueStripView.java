package io.tandem.agent.ui.queues;

import io.tandem.protocol.QueueFigures;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The bottom strip: one tile per queue with callers waiting and the longest wait; busy queues turn amber. */
public final class QueueStripView extends HBox {

    public QueueStripView(QueueStripViewModel vm) {
        super(10);
        setId("queue-strip");
        getStyleClass().add("queue-strip");
        setAlignment(Pos.CENTER_LEFT);
        vm.queues().addListener((ListChangeListener<QueueFigures>) c -> render(vm));
        render(vm);
    }

    private void render(QueueStripViewModel vm) {
        getChildren().clear();
        Label caption = new Label("Queues");
        caption.getStyleClass().add("strip-caption");
        getChildren().add(caption);
        if (vm.queues().isEmpty()) {
            Label none = new Label("No queue figures yet");
            none.getStyleClass().add("muted-text");
            getChildren().add(none);
        }
        for (QueueFigures q : vm.queues()) {
            Label name = new Label(q.name() == null || q.name().isBlank() ? q.queue() : q.name());
            name.getStyleClass().add("tile-name");
            Label waiting = new Label(q.waiting() + " waiting");
            waiting.getStyleClass().add("tile-figure");
            long w = q.longestWaitSeconds();
            Label longest = new Label(String.format("longest %d:%02d · %d agents free", w / 60, w % 60,
                    q.availableAgents()));
            longest.getStyleClass().add("muted-text");
            VBox tile = new VBox(2, name, waiting, longest);
            tile.setId("queue-" + q.queue());
            tile.getStyleClass().add("queue-tile");
            if (q.waiting() > 0 && q.availableAgents() == 0) {
                tile.getStyleClass().add("queue-busy");
            }
            getChildren().add(tile);
        }
    }
}
