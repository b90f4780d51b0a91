package io.tandem.telephony.media;

import java.util.Locale;

/** RFC 3264 §5.1 / §8.4 media direction, as carried by the SDP attribute of the same name. */
public enum MediaDirection {
    SENDRECV(true, true),
    SENDONLY(true, false),
    RECVONLY(false, true),
    INACTIVE(false, false);

    private final boolean sends;
    private final boolean receives;

    MediaDirection(boolean sends, boolean receives) {
        this.sends = sends;
        this.receives = receives;
    }

    public boolean sends() {
        return sends;
    }

    public boolean receives() {
        return receives;
    }

    /** The direction the answerer uses for an offer in this direction (RFC 3264 §6.1). */
    public MediaDirection reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** The SDP attribute name, e.g. {@code sendonly}. */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an SDP attribute name; null when it is not a direction attribute. */
    public static MediaDirection fromAttribute(String attribute) {
        for (MediaDirection d : values()) {
            if (d.attribute().equalsIgnoreCase(attribute)) {
                return d;
            }
        }
        return null;
    }
}
