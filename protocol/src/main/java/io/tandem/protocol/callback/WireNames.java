package io.tandem.protocol.callback;

import java.util.Locale;

/**
 * How the contract's kinds are spelled on the streams: a constant's name in lower case with {@code -} for {@code _}
 * ({@code CALL_INTO_ROOM} is {@code call-into-room}), so a kind is named once, by its constant.
 */
final class WireNames {

    private WireNames() {
    }

    /** The stream form of {@code constant}. */
    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} spelled {@code wire}; an unknown spelling is refused naming it and {@code what}. */
    static <E extends Enum<E>> E parse(Class<E> type, String wire, String what) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wire)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + wire + "'");
    }
}
