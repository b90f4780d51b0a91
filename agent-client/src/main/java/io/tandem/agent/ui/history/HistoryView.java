package io.tandem.agent.ui.history;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import java.util.function.Function;

/** The history card: time, direction, number, queue, talk time, outcome. */
public final class HistoryView extends VBox {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    public HistoryView(HistoryViewModel vm) {
        super(8);
        getStyleClass().addAll("card", "history");
        Label title = new Label("Recent calls");
        title.getStyleClass().add("card-title");
        TableView<CallRecord> table = new TableView<>(vm.calls());
        table.setId("history-table");
        table.setPlaceholder(new Label("No calls yet"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("Time", 80, r -> TIME.format(r.started())));
        table.getColumns().add(column("", 30, r -> r.incoming() ? "↙" : "↗"));
        table.getColumns().add(column("Number", 120, CallRecord::number));
        table.getColumns().add(column("Queue", 100, CallRecord::queue));
        table.getColumns().add(column("Talk", 60, r -> String.format("%d:%02d", r.talked().toMinutes(),
                r.talked().toSecondsPart())));
        table.getColumns().add(column("Outcome", 90, CallRecord::outcome));
        table.setPrefHeight(170);
        table.setMinHeight(70); // gives way to the call card on small screens
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(title, table);
    }

    private static TableColumn<CallRecord, String> column(String name, double width, Function<CallRecord, String> value) {
        TableColumn<CallRecord, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setSortable(false);
        return c;
    }
}
