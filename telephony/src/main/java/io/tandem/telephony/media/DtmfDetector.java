package io.tandem.telephony.media;

/**
 * In-band DTMF detection (ITU-T Q.24 style) for callers whose phones send keys as audio rather
 * than RFC 4733 events. Feed it every received 20 ms frame; it answers the key once per key
 * press.
 *
 * <p>Each frame is analysed as two 20 ms windows, 10 ms apart (the second half of the previous
 * frame plus the first half of this one, then this frame), with Goertzel's algorithm at the
 * eight keypad frequencies. A window holds a key when
 * <ul>
 *   <li>the strongest row and column frequencies are each above a minimum level,</li>
 *   <li>the twist (level difference between them) is within 8 dB normal / 4 dB reverse,</li>
 *   <li>each beats the other frequencies of its group by {@value #RELATIVE_PEAK_DB} dB,</li>
 *   <li>the two together carry most of the window's energy (speech and music spread theirs).</li>
 * </ul>
 * A key is reported when two consecutive windows agree (about 30 ms of tone; a 40 ms tone
 * always yields two), and the next press needs two windows without a key (a 40 ms pause) or a
 * different key. Not thread-safe: one detector per received stream.
 */
public final class DtmfDetector {
    /** Returned by {@link #process} when no new key press was recognised. */
    public static final char NONE = '\0';

    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    private static final int HOP = N / 2;
    /** Smallest amplitude per frequency (about −41 dBm0 for 16-bit full scale ≈ +3 dBm0). */
    private static final double MIN_AMPLITUDE = 200;
    private static final double MIN_POWER = (MIN_AMPLITUDE * N / 2) * (MIN_AMPLITUDE * N / 2);
    /** Row may exceed column by 8 dB (lines attenuate the high group): power ratio 10^0.8. */
    private static final double NORMAL_TWIST = 6.31;
    /** Column may exceed row by 4 dB: power ratio 10^0.4. */
    private static final double REVERSE_TWIST = 2.51;
    private static final double RELATIVE_PEAK_DB = 8;
    private static final double RELATIVE_PEAK = Math.pow(10, RELATIVE_PEAK_DB / 10);
    /** Share of the window's energy that must sit at the two frequencies. */
    private static final double MIN_TONE_SHARE = 0.7;
    private static final int WINDOWS_TO_PRESS = 2;
    private static final int WINDOWS_TO_RELEASE = 2;

    private static final double[] ROW_COEFF = coefficients(DtmfTones.ROWS);
    private static final double[] COL_COEFF = coefficients(DtmfTones.COLUMNS);

    /** The previous frame followed by the current one. */
    private final short[] window = new short[2 * N];
    private final double[] rowPower = new double[4];
    private final double[] colPower = new double[4];
    private char candidate = NONE;
    private int candidateWindows;
    private char held = NONE;
    private int silentWindows;
    private long badFrames;

    private static double[] coefficients(double[] freqs) {
        double[] c = new double[freqs.length];
        for (int i = 0; i < freqs.length; i++) {
            c[i] = 2 * Math.cos(2 * Math.PI * freqs[i] / AudioFrames.SAMPLE_RATE);
        }
        return c;
    }

    /**
     * Analyses one 20 ms frame.
     *
     * @return the key ('0'-'9', '*', '#', 'A'-'D') when a new press is recognised, else {@link #NONE}
     */
    public char process(short[] frame) {
        if (frame == null || frame.length < N) {
            badFrames++;
            return NONE; // a malformed frame is dropped and counted, never thrown into the media thread
        }
        System.arraycopy(window, N, window, 0, N);
        System.arraycopy(frame, 0, window, N, N);
        char reported = NONE;
        for (int offset = HOP; offset <= N; offset += HOP) {
            char key = update(classify(offset));
            if (key != NONE && reported == NONE) {
                reported = key;
            }
        }
        return reported;
    }

    /** Frames refused because they were null or shorter than 20 ms. */
    public long badFrames() {
        return badFrames;
    }

    /** Forgets the state, as for a new stream. */
    public void reset() {
        java.util.Arrays.fill(window, (short) 0);
        candidate = NONE;
        candidateWindows = 0;
        held = NONE;
        silentWindows = 0;
    }

    private char update(char key) {
        if (key == NONE) {
            candidate = NONE;
            candidateWindows = 0;
            if (++silentWindows >= WINDOWS_TO_RELEASE) {
                held = NONE;
            }
            return NONE;
        }
        silentWindows = 0;
        if (key == candidate) {
            candidateWindows++;
        } else {
            candidate = key;
            candidateWindows = 1;
        }
        if (candidateWindows >= WINDOWS_TO_PRESS && key != held) {
            held = key;
            return key;
        }
        return NONE;
    }

    /** The key held by the window at {@code offset}, or NONE. */
    private char classify(int offset) {
        double energy = 0;
        for (int i = 0; i < N; i++) {
            double s = window[offset + i];
            energy += s * s;
        }
        if (energy < 2 * MIN_POWER / N) {
            return NONE; // too quiet to hold even one frequency at the minimum level
        }
        for (int f = 0; f < 4; f++) {
            rowPower[f] = goertzel(offset, ROW_COEFF[f]);
            colPower[f] = goertzel(offset, COL_COEFF[f]);
        }
        int row = strongest(rowPower);
        int col = strongest(colPower);
        double r = rowPower[row];
        double c = colPower[col];
        if (r < MIN_POWER || c < MIN_POWER) {
            return NONE;
        }
        if (r > c * NORMAL_TWIST || c > r * REVERSE_TWIST) {
            return NONE;
        }
        if (!dominates(rowPower, row) || !dominates(colPower, col)) {
            return NONE;
        }
        // For a pure tone, Goertzel power = energy * N / 2 (see Goertzel.toneRatio).
        if (r + c < MIN_TONE_SHARE * energy * N / 2) {
            return NONE;
        }
        return DtmfTones.key(row, col);
    }

    private double goertzel(int offset, double coeff) {
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < N; i++) {
            double s = window[offset + i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    private static int strongest(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static boolean dominates(double[] p, int best) {
        for (int i = 0; i < p.length; i++) {
            if (i != best && p[i] * RELATIVE_PEAK > p[best]) {
                return false;
            }
        }
        return true;
    }
}
