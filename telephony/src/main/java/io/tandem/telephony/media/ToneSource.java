package io.tandem.telephony.media;

import java.util.Arrays;
import java.util.List;

/**
 * Plays a sequence of {@link ToneSegment}s — a cadenced call-progress tone (repeating) or a
 * DTMF digit string (once) — sample-accurately across frame edges. Each tone segment starts
 * at phase 0, a zero crossing, so the on/off steps do not click. Not thread-safe except
 * {@link #close()}.
 */
public final class ToneSource implements MediaSource {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    private final ToneSegment[] segments;
    private final boolean repeat;
    private final double amplitude;
    private int index;
    /** Samples already played of {@code segments[index]}. */
    private int played;
    private double phase1;
    private double phase2;
    private volatile boolean closed;

    /**
     * @param amplitude peak amplitude 0..32767; a dual tone gives each frequency half of it
     */
    public ToneSource(List<ToneSegment> segments, boolean repeat, int amplitude) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a tone needs at least one segment");
        }
        if (amplitude < 0 || amplitude > Short.MAX_VALUE) {
            throw new IllegalArgumentException("amplitude out of range 0..32767: " + amplitude);
        }
        this.segments = segments.toArray(new ToneSegment[0]);
        this.repeat = repeat;
        this.amplitude = amplitude;
    }

    @Override
    public boolean read(short[] frame) {
        if (closed || index >= segments.length) {
            Arrays.fill(frame, 0, N, (short) 0);
            return false;
        }
        int filled = 0;
        while (filled < N && index < segments.length) {
            ToneSegment seg = segments[index];
            int total = seg.samples();
            int n = total == 0 ? N - filled : Math.min(N - filled, total - played);
            render(seg, frame, filled, n);
            filled += n;
            played += n;
            if (total != 0 && played >= total) {
                next();
            }
        }
        Arrays.fill(frame, filled, N, (short) 0);
        return true;
    }

    private void next() {
        played = 0;
        phase1 = 0;
        phase2 = 0;
        index++;
        if (index == segments.length && repeat) {
            index = 0;
        }
    }

    private void render(ToneSegment seg, short[] frame, int off, int n) {
        if (seg.isSilence()) {
            Arrays.fill(frame, off, off + n, (short) 0);
            return;
        }
        double step1 = 2 * Math.PI * seg.firstHz() / AudioFrames.SAMPLE_RATE;
        boolean dual = seg.secondHz() > 0;
        double step2 = dual ? 2 * Math.PI * seg.secondHz() / AudioFrames.SAMPLE_RATE : 0;
        double a = dual ? amplitude / 2 : amplitude;
        for (int i = 0; i < n; i++) {
            double v = Math.sin(phase1);
            phase1 += step1;
            if (dual) {
                v += Math.sin(phase2);
                phase2 += step2;
            }
            frame[off + i] = (short) Math.round(v * a);
        }
        // Keep phases small so a continuous dial tone stays precise for hours.
        phase1 %= 2 * Math.PI;
        phase2 %= 2 * Math.PI;
    }

    @Override
    public void close() {
        closed = true;
    }
}
