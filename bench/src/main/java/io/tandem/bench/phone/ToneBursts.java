package io.tandem.bench.phone;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The caller's voice for the latency figure: silence, then {@code count} bursts of 1 kHz, each
 * {@value #BURST_FRAMES} frames long and {@value #PERIOD_FRAMES} frames apart, each starting on the first sample of a
 * frame and on the cosine's peak (a sharp onset), then silence. The caller's user agent reads one frame per 20 ms tick
 * and sends it at once as one RTP packet, so the time a burst's first frame is read is the time its onset leaves.
 */
final class ToneBursts implements MediaSource {
    static final int LEAD_FRAMES = 50;
    static final int BURST_FRAMES = 10;
    static final int PERIOD_FRAMES = 40;
    private static final double AMPLITUDE = 12_000;
    private static final double HZ = 1000;

    private final int count;
    private final List<Long> sent = new ArrayList<>();
    private int frame;

    ToneBursts(int count) {
        this.count = count;
    }

    @Override
    public synchronized boolean read(short[] out) {
        int f = frame++;
        int sinceLead = f - LEAD_FRAMES;
        int burst = Math.floorDiv(sinceLead, PERIOD_FRAMES);
        int inBurst = Math.floorMod(sinceLead, PERIOD_FRAMES);
        if (sinceLead < 0 || burst >= count || inBurst >= BURST_FRAMES) {
            Arrays.fill(out, (short) 0);
            return true;
        }
        if (inBurst == 0) {
            sent.add(System.nanoTime());
        }
        for (int i = 0; i < out.length; i++) {
            int n = inBurst * AudioFrames.SAMPLES_PER_FRAME + i;
            out[i] = (short) Math.round(AMPLITUDE * Math.cos(2 * Math.PI * HZ * n / AudioFrames.SAMPLE_RATE));
        }
        return true;
    }

    /** The frames from the first read until the last burst is over and a second of silence has followed. */
    int framesToPlay() {
        return LEAD_FRAMES + count * PERIOD_FRAMES + 50;
    }

    /** When each burst's first frame was read (nanoTime), in order. */
    synchronized List<Long> sent() {
        return List.copyOf(sent);
    }

    synchronized boolean done() {
        return frame >= framesToPlay();
    }
}
