package io.tandem.agent.ui.dialpad;

import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.SipTargets;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** Outbound calls: the number typed or keyed in, checked before dialling, with a sentence when it is not valid. */
public final class DialPadViewModel {
    private final StringProperty number = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty invalid = new SimpleBooleanProperty(false);
    private final BooleanProperty enabled = new SimpleBooleanProperty(true);

    private final Supplier<PhoneEngine> engine;
    private final Consumer<PhoneCall> onDialled;

    public DialPadViewModel(Supplier<PhoneEngine> engine, Consumer<PhoneCall> onDialled) {
        this.engine = engine;
        this.onDialled = onDialled;
        number.addListener((o, old, now) -> {
            invalid.set(false);
            message.set("");
        });
    }

    public void key(char digit) {
        number.set(number.get() + digit);
    }

    public void backspace() {
        String n = number.get();
        if (!n.isEmpty()) {
            number.set(n.substring(0, n.length() - 1));
        }
    }

    public void dial() {
        String input = number.get();
        String problem = SipTargets.problem(input);
        if (problem != null) {
            invalid.set(true);
            message.set(problem);
            return;
        }
        PhoneEngine e = engine.get();
        if (e == null || !e.registration().registered()) {
            invalid.set(false);
            message.set("The phone is not registered yet: wait for \"SIP registered\"");
            return;
        }
        try {
            PhoneCall call = e.dial(input);
            number.set("");
            onDialled.accept(call);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            invalid.set(true);
            message.set(ex.getMessage());
        }
    }

    public StringProperty numberProperty() {
        return number;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public BooleanProperty invalidProperty() {
        return invalid;
    }

    public BooleanProperty enabledProperty() {
        return enabled;
    }
}
