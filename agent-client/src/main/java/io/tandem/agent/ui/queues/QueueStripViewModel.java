package io.tandem.agent.ui.queues;

import io.tandem.protocol.QueueFigures;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Live figures of the agent's queues (waiting, longest wait), one tile each, in the order first seen. */
public final class QueueStripViewModel {
    private final ObservableList<QueueFigures> queues = FXCollections.observableArrayList();

    public void onFigures(QueueFigures figures) {
        for (int i = 0; i < queues.size(); i++) {
            if (queues.get(i).queue().equals(figures.queue())) {
                queues.set(i, figures);
                return;
            }
        }
        queues.add(figures);
    }

    public void setAll(List<QueueFigures> all) {
        all.forEach(this::onFigures);
    }

    public void clear() {
        queues.clear();
    }

    public ObservableList<QueueFigures> queues() {
        return queues;
    }
}
