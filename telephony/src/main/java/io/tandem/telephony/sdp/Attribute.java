package io.tandem.telephony.sdp;

import java.util.Objects;

/** An {@code a=} line we do not model explicitly (RFC 4566 §5.13): a property ({@code value == null}) or name:value. */
public record Attribute(String name, String value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
    }

    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    /** The value after {@code a=}. */
    public String encode() {
        return value == null ? name : name + ":" + value;
    }
}
