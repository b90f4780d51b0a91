package io.tandem.agent.ui;

import io.tandem.agent.ui.call.CallView;
import io.tandem.agent.ui.callback.CallbackWakeView;
import io.tandem.agent.ui.dialpad.DialPadView;
import io.tandem.agent.ui.history.HistoryView;
import io.tandem.agent.ui.offer.OfferView;
import io.tandem.agent.ui.queues.QueueStripView;
import io.tandem.agent.ui.settings.SettingsView;
import io.tandem.agent.ui.state.StateView;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Dialog;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The main window: header (agent, state, connections, settings), caller-waiting/offer/call cards, dial pad, history,
 * queues.
 */
public final class MainView extends BorderPane {

    public MainView(MainViewModel vm) {
        setId("main-view");
        getStyleClass().add("main");

        Label brand = new Label("Tandem");
        brand.getStyleClass().add("brand-small");
        Label agent = new Label();
        agent.setId("agent-name");
        agent.getStyleClass().add("agent-name");
        agent.textProperty().bind(vm.agentNameProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Button settings = new Button("Settings");
        settings.setId("open-settings");
        settings.setOnAction(e -> openSettings(vm));
        HBox header = new HBox(14, brand, agent, gap, settings);
        header.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(8, header, new StateView(vm.state()));
        top.getStyleClass().add("header");
        setTop(top);

        Label idle = new Label("Waiting for calls");
        idle.getStyleClass().add("idle-text");
        VBox idleCard = new VBox(idle);
        idleCard.setId("idle-card");
        idleCard.getStyleClass().addAll("card", "idle");
        idleCard.setAlignment(Pos.CENTER);
        idleCard.visibleProperty().bind(vm.offer().showingProperty().not().and(vm.call().activeProperty().not())
                .and(vm.callbackWake().showingProperty().not()));
        idleCard.managedProperty().bind(idleCard.visibleProperty());

        Label notice = new Label();
        notice.getStyleClass().add("inline-error");
        notice.textProperty().bind(vm.noticeProperty());
        notice.visibleProperty().bind(vm.noticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());

        HistoryView history = new HistoryView(vm.history());
        VBox.setVgrow(history, Priority.ALWAYS);
        VBox left = new VBox(12, new CallbackWakeView(vm.callbackWake()), new OfferView(vm.offer()),
                new CallView(vm.call()), idleCard, history, notice);
        HBox.setHgrow(left, Priority.ALWAYS);
        VBox right = new VBox(14, new DialPadView(vm.dialPad()));
        right.setMinWidth(250);
        HBox center = new HBox(16, left, right);
        center.setPadding(new Insets(12, 16, 12, 16));
        // Scrolls rather than pushing the queue strip off a small screen.
        ScrollPane scroll = new ScrollPane(center);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.getStyleClass().add("center-scroll");
        setCenter(scroll);
        setBottom(new QueueStripView(vm.queues()));
    }

    private void openSettings(MainViewModel vm) {
        Dialog<Void> dialog = new Dialog<>();
        dialog.setTitle("Settings");
        dialog.initOwner(getScene().getWindow());
        dialog.getDialogPane().setContent(new SettingsView(vm.settings()));
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.getDialogPane().lookupButton(ButtonType.CLOSE).setId("settings-close");
        dialog.getDialogPane().getStylesheets().addAll(getScene().getStylesheets());
        dialog.show();
    }
}
