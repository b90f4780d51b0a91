package io.tandem.agent.ui.dialpad;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The dial pad card: number field (Enter dials), keypad, Call and ⌫. */
public final class DialPadView extends VBox {

    public DialPadView(DialPadViewModel vm) {
        super(10);
        setId("dialpad");
        getStyleClass().addAll("card", "dialpad");
        Label title = new Label("Dial");
        title.getStyleClass().add("card-title");

        TextField number = new TextField();
        number.setId("dial-number");
        number.setPromptText("Number or extension");
        number.getStyleClass().add("dial-number");
        number.textProperty().bindBidirectional(vm.numberProperty());
        number.setOnAction(e -> vm.dial());
        vm.invalidProperty().addListener((o, was, is) -> {
            number.getStyleClass().remove("invalid");
            if (is) {
                number.getStyleClass().add("invalid");
            }
        });
        Button back = new Button("⌫");
        back.setId("dial-backspace");
        back.setOnAction(e -> vm.backspace());
        HBox row = new HBox(6, number, back);
        HBox.setHgrow(number, Priority.ALWAYS);

        Keypad keypad = new Keypad("dial-key-", vm::key);
        Button call = new Button("Call");
        call.setId("dial-call");
        call.getStyleClass().addAll("primary", "answer");
        call.setMaxWidth(Double.MAX_VALUE);
        call.setOnAction(e -> vm.dial());

        Label message = new Label();
        message.setId("dial-message");
        message.getStyleClass().add("inline-error");
        message.setWrapText(true);
        message.setMaxWidth(220);
        message.textProperty().bind(vm.messageProperty());

        setAlignment(Pos.TOP_LEFT);
        getChildren().addAll(title, row, keypad, call, message);
        disableProperty().bind(vm.enabledProperty().not());
    }
}
