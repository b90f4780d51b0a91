package io.tandem.telephony.rtp;

/**
 * The RFC 4733 §2.3 telephone-event payload (event, E bit, volume, duration) and the DTMF
 * event codes of §3.2 (0–9, * = 10, # = 11, A–D = 12–15).
 */
public final class TelephoneEvent {
    /** Payload length of one event. */
    public static final int LENGTH = 4;
    /** Volume we send, in −dBm0 (RFC 4733 §2.3.4; 10 is a typical keypad level). */
    static final int VOLUME = 10;

    private TelephoneEvent() {
    }

    /** The event code of a DTMF digit, or -1 when the character is not a DTMF key. */
    public static int code(char digit) {
        if (digit >= '0' && digit <= '9') {
            return digit - '0';
        }
        return switch (Character.toUpperCase(digit)) {
            case '*' -> 10;
            case '#' -> 11;
            case 'A' -> 12;
            case 'B' -> 13;
            case 'C' -> 14;
            case 'D' -> 15;
            default -> -1;
        };
    }

    /** The DTMF digit of an event code 0–15, or 0 for other events (tones, flash...). */
    public static char digit(int code) {
        if (code >= 0 && code <= 9) {
            return (char) ('0' + code);
        }
        return switch (code) {
            case 10 -> '*';
            case 11 -> '#';
            case 12 -> 'A';
            case 13 -> 'B';
            case 14 -> 'C';
            case 15 -> 'D';
            default -> 0;
        };
    }

    /** Writes one event payload. */
    public static void write(byte[] out, int off, int event, boolean end, int volume, int duration) {
        out[off] = (byte) event;
        out[off + 1] = (byte) ((end ? 0x80 : 0) | (volume & 0x3F));
        out[off + 2] = (byte) (duration >>> 8);
        out[off + 3] = (byte) duration;
    }

    public static int event(byte[] p, int off) {
        return p[off] & 0xFF;
    }

    public static boolean end(byte[] p, int off) {
        return (p[off + 1] & 0x80) != 0;
    }

    public static int duration(byte[] p, int off) {
        return ((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF);
    }
}
