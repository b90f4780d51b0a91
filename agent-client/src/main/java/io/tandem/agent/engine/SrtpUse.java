package io.tandem.agent.engine;

import java.util.Locale;

/** Whether the phone's media is SRTP keyed by SDES (RFC 4568, {@code AES_CM_128_HMAC_SHA1_80}). */
public enum SrtpUse {
    /** Plain RTP only. */
    OFF,
    /** Offer keys on plain RTP/AVP and encrypt when the far end takes them; a plain call still connects. */
    OPTIONAL,
    /** RTP/SAVP only: a call whose far end offers or answers plain RTP is refused (488). */
    MANDATORY;

    /** The settings-file spelling: {@code off}, {@code optional}, {@code mandatory}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code off}, {@code optional} or {@code mandatory} in any case; anything else is refused with the choices. */
    public static SrtpUse parse(String text) {
        String s = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (SrtpUse u : values()) {
            if (u.name().equals(s)) {
                return u;
            }
        }
        throw new IllegalArgumentException("SRTP must be off, optional or mandatory, not \"" + text + "\"");
    }
}
