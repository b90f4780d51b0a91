package io.tandem.agent.ui.dialpad;

import java.util.function.Consumer;
import javafx.scene.control.Button;
import javafx.scene.layout.GridPane;

/** A 4×3 telephone keypad (1-9, *, 0, #); each key hands its digit to {@code onKey}. */
public final class Keypad extends GridPane {
    private static final String KEYS = "123456789*0#";

    public Keypad(String idPrefix, Consumer<Character> onKey) {
        getStyleClass().add("keypad");
        setHgap(6);
        setVgap(6);
        for (int i = 0; i < KEYS.length(); i++) {
            char key = KEYS.charAt(i);
            Button b = new Button(String.valueOf(key));
            b.setId(idPrefix + (key == '*' ? "star" : key == '#' ? "hash" : String.valueOf(key)));
            b.getStyleClass().add("key");
            b.setFocusTraversable(false);
            b.setOnAction(e -> onKey.accept(key));
            add(b, i % 3, i / 3);
        }
    }
}
