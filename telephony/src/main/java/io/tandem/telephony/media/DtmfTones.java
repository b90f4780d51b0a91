package io.tandem.telephony.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The DTMF keypad (ITU-T Q.23): each key is one low "row" frequency plus one high "column"
 * frequency.
 * <pre>
 *          1209 1336 1477 1633 Hz
 *   697 Hz   1    2    3    A
 *   770 Hz   4    5    6    B
 *   852 Hz   7    8    9    C
 *   941 Hz   *    0    #    D
 * </pre>
 */
public final class DtmfTones {
    public static final double[] ROWS = {697, 770, 852, 941};
    public static final double[] COLUMNS = {1209, 1336, 1477, 1633};
    /** Keys in row-major order: {@code KEYS[row * 4 + column]}. */
    static final String KEYS = "123A456B789C*0#D";

    private DtmfTones() {
    }

    /** True for 0-9, *, #, A-D (lower-case a-d accepted). */
    public static boolean isDigit(char key) {
        return KEYS.indexOf(Character.toUpperCase(key)) >= 0;
    }

    public static double rowHz(char key) {
        return ROWS[indexOf(key) / 4];
    }

    public static double columnHz(char key) {
        return COLUMNS[indexOf(key) % 4];
    }

    static char key(int row, int column) {
        return KEYS.charAt(row * 4 + column);
    }

    private static int indexOf(char key) {
        int i = KEYS.indexOf(Character.toUpperCase(key));
        if (i < 0) {
            throw new IllegalArgumentException("not a DTMF key: '" + key + "'");
        }
        return i;
    }

    /**
     * A source that plays {@code digits} once, each key for {@code onMillis} followed by
     * {@code offMillis} of silence (Q.24 receivers accept 40 ms on / 40 ms off; phones send
     * about 100/100), each frequency at half of {@code amplitude}.
     */
    public static ToneSource source(String digits, int onMillis, int offMillis, int amplitude) {
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("no digits to play");
        }
        if (onMillis <= 0 || offMillis < 0) {
            throw new IllegalArgumentException("DTMF on time must be positive and off time not negative");
        }
        List<ToneSegment> segments = new ArrayList<>();
        for (char c : digits.toCharArray()) {
            segments.add(ToneSegment.dual(rowHz(c), columnHz(c), onMillis));
            if (offMillis > 0) {
                segments.add(ToneSegment.silence(offMillis));
            }
        }
        return new ToneSource(segments, false, amplitude);
    }
}
