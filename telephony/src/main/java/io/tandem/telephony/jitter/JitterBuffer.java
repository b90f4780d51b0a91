package io.tandem.telephony.jitter;

import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.media.AudioFrames;

import java.util.Arrays;

/**
 * An adaptive jitter buffer for one received RTP stream, one packet per 20 ms frame.
 *
 * <p>The network thread {@link #put}s packets as they arrive; the media clock takes one
 * frame per tick with {@link #next}. Packets are reordered by sequence number in a ring of
 * preallocated slots (no allocation per packet). Playout starts once the buffer spans the
 * target depth; a frame missing at its playout time is concealed with the codec's
 * {@code conceal()}; packets arriving after their frame was played are dropped as late.
 *
 * <p>The target depth follows the measured delay variation: the largest transit-time
 * excess over the fastest packet within the last 5–10 s, plus one frame, between the
 * configured minimum and maximum. The buffer grows by waiting (an underrun re-buffers to
 * the target) and shrinks by dropping a frame when it holds more than two frames too many.
 *
 * <p>An SSRC change or a sequence jump beyond the ring (the sender restarted, RFC 3550
 * §8.2) flushes the buffer and starts over. Methods are synchronized: critical sections
 * are a copy of one payload at most, so neither thread waits noticeably.
 */
public final class JitterBuffer {
    /** What {@link #next} produced. */
    public enum Outcome {
        /** A received frame, decoded. */
        PLAYED,
        /** A stand-in for a missing frame from the codec's concealment. */
        CONCEALED,
        /** Silence: nothing received yet, re-buffering, or a long gap. */
        SILENCE
    }

    /** What {@link #put} did with a packet. */
    public enum Admission { ACCEPTED, LATE, DUPLICATE, TOO_LARGE }

    static final int SLOTS = 64;
    private static final int MASK = SLOTS - 1;
    /** Packets this far behind the playout point are late; further back means a restart. */
    private static final int MAX_MISORDER = 100;
    /** Frames beyond the target tolerated before one is dropped to shrink the delay. */
    private static final int SHRINK_SLACK = 2;
    /** Concealed frames after an underrun before falling back to plain silence. */
    private static final int MAX_CONCEAL_RUN = 3;
    /** Packets per delay-measurement window (5 s of 20 ms frames); two windows are kept. */
    private static final int WINDOW = 250;

    private final int frameMillis = AudioFrames.FRAME_MILLIS;
    private final int minFrames;
    private final int maxFrames;
    private final int clockRate;
    private final int maxPayload;

    /**
     * A slot's first size: 20 ms of G.711 (160 bytes) with room to spare. Slots of the largest payload up front cost
     * 96 kB per stream, most of it never touched (a node opens streams for every call leg; on a queue bench node
     * they were a tenth of everything allocated); a slot grows when a larger packet lands in it.
     */
    private static final int TYPICAL_PAYLOAD = 256;

    // all fields below guarded by "this"
    private final byte[][] payloads;
    private final int[] lengths = new int[SLOTS];
    private final int[] seqOf = new int[SLOTS];
    private int count;
    private boolean hasSource;
    private long ssrc;
    private int nextSeq;
    private int highestSeq;
    private boolean playing;
    private boolean everPlayed;
    private int concealRun;
    private int targetFrames;

    private long lastTimestamp;
    private long extendedTimestamp;
    private double currentMinTransit;
    private double previousMinTransit;
    private double currentPeak;
    private double previousPeak;
    private int windowCount;

    private long accepted;
    private long late;
    private long duplicates;
    private long concealed;
    private long dropped;
    private long resyncs;

    /**
     * @param minDepthMillis smallest target depth (e.g. 40)
     * @param maxDepthMillis largest target depth (e.g. 200)
     * @param clockRate      RTP clock rate of the stream's codec, to compare timestamps with arrival times
     * @param maxPayload     largest payload accepted, bytes
     */
    public JitterBuffer(int minDepthMillis, int maxDepthMillis, int clockRate, int maxPayload) {
        if (minDepthMillis < frameMillis || maxDepthMillis < minDepthMillis
                || maxDepthMillis > frameMillis * (SLOTS / 2)) {
            throw new IllegalArgumentException("depth range must be within " + frameMillis + "-"
                    + frameMillis * (SLOTS / 2) + " ms: " + minDepthMillis + "-" + maxDepthMillis);
        }
        this.minFrames = (minDepthMillis + frameMillis - 1) / frameMillis;
        this.maxFrames = maxDepthMillis / frameMillis;
        this.clockRate = clockRate;
        this.maxPayload = maxPayload;
        this.payloads = new byte[SLOTS][]; // each slot made on first use, at the size its packets need
        this.targetFrames = minFrames;
        Arrays.fill(seqOf, -1);
        resetDelayEstimate();
    }

    /** A 40–200 ms buffer for 8 kHz G.711-sized payloads. */
    public static JitterBuffer forTelephony(int clockRate) {
        return new JitterBuffer(40, 200, clockRate, 1500);
    }

    /**
     * Adds one received packet. The payload is copied; the caller's buffer may be reused.
     *
     * @param arrivalNanos arrival time on a monotonic clock ({@link System#nanoTime()})
     */
    public synchronized Admission put(long packetSsrc, int seq, long timestamp, byte[] buf, int off, int len,
                                      long arrivalNanos) {
        seq &= 0xFFFF;
        if (len > maxPayload) {
            dropped++;
            return Admission.TOO_LARGE;
        }
        if (!hasSource || packetSsrc != ssrc) {
            if (hasSource) {
                resyncs++; // RFC 3550 §8.2: a new SSRC is a new source
            }
            restart(packetSsrc, seq, timestamp);
        } else {
            int delta = (short) (seq - nextSeq);
            if (delta < 0) {
                int span = (highestSeq - seq) & 0xFFFF;
                if (!everPlayed && span < SLOTS) {
                    nextSeq = seq; // an earlier packet overtaken before playout began
                } else if (delta >= -MAX_MISORDER) {
                    late++;
                    measureDelay(timestamp, arrivalNanos); // late packets are the evidence for growing
                    return Admission.LATE;
                } else {
                    resyncs++;
                    restart(packetSsrc, seq, timestamp);
                }
            } else if (delta >= SLOTS) {
                resyncs++; // a jump the ring cannot span: the sender restarted or we were on hold
                restart(packetSsrc, seq, timestamp);
            }
        }
        int idx = seq & MASK;
        if (seqOf[idx] == seq) {
            duplicates++;
            return Admission.DUPLICATE;
        }
        byte[] slot = payloads[idx];
        if (slot == null || slot.length < len) {
            slot = new byte[Math.max(len, TYPICAL_PAYLOAD)];
            payloads[idx] = slot;
        }
        System.arraycopy(buf, off, slot, 0, len);
        lengths[idx] = len;
        seqOf[idx] = seq;
        count++;
        accepted++;
        if ((short) (seq - highestSeq) > 0) {
            highestSeq = seq;
        }
        measureDelay(timestamp, arrivalNanos);
        return Admission.ACCEPTED;
    }

    /**
     * Produces the frame for this media tick into {@code pcm} (160 samples), decoding with
     * {@code codec} or concealing with it.
     */
    public synchronized Outcome next(AudioCodec codec, short[] pcm) {
        if (!playing) {
            if (count > 0 && depth() >= targetFrames) {
                playing = true;
            } else {
                return underrun(codec, pcm);
            }
        }
        shrinkIfTooDeep();
        int idx = nextSeq & MASK;
        if (seqOf[idx] == nextSeq) {
            int n = codec.decode(payloads[idx], 0, lengths[idx], pcm);
            if (n == 0) {
                codec.conceal(pcm);
            }
            take(idx);
            everPlayed = true;
            concealRun = 0;
            return n == 0 ? Outcome.CONCEALED : Outcome.PLAYED;
        }
        if (count == 0) {
            playing = false; // underrun: wait until the target depth is back, which grows the delay
            return underrun(codec, pcm);
        }
        // lost (or later than its playout time): conceal and move on
        codec.conceal(pcm);
        concealed++;
        nextSeq = (nextSeq + 1) & 0xFFFF;
        return Outcome.CONCEALED;
    }

    private Outcome underrun(AudioCodec codec, short[] pcm) {
        if (everPlayed && concealRun < MAX_CONCEAL_RUN) {
            concealRun++;
            concealed++;
            codec.conceal(pcm);
            return Outcome.CONCEALED;
        }
        Arrays.fill(pcm, 0, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        return Outcome.SILENCE;
    }

    private void shrinkIfTooDeep() {
        // skip gaps first: they cost nothing to drop
        while (count > 0 && depth() > targetFrames + SHRINK_SLACK && seqOf[nextSeq & MASK] != nextSeq) {
            nextSeq = (nextSeq + 1) & 0xFFFF;
        }
        if (count > 0 && depth() > targetFrames + SHRINK_SLACK) {
            take(nextSeq & MASK);
            dropped++;
        }
    }

    private void take(int idx) {
        seqOf[idx] = -1;
        count--;
        nextSeq = (nextSeq + 1) & 0xFFFF;
    }

    /** Frames from the playout point to the newest packet, gaps included. */
    private int depth() {
        return count == 0 ? 0 : ((highestSeq - nextSeq) & 0xFFFF) + 1;
    }

    private void restart(long newSsrc, int seq, long timestamp) {
        clear();
        hasSource = true;
        ssrc = newSsrc;
        nextSeq = seq;
        highestSeq = seq;
        playing = false;
        everPlayed = false;
        lastTimestamp = timestamp;
        extendedTimestamp = 0;
        resetDelayEstimate();
    }

    private void clear() {
        Arrays.fill(seqOf, -1);
        count = 0;
    }

    /** Forgets everything (the stream was re-pointed); the next packet starts a new source. */
    public synchronized void flush() {
        clear();
        hasSource = false;
        playing = false;
        everPlayed = false;
        concealRun = 0;
        targetFrames = minFrames;
    }

    private void resetDelayEstimate() {
        currentMinTransit = Double.POSITIVE_INFINITY;
        previousMinTransit = Double.POSITIVE_INFINITY;
        currentPeak = 0;
        previousPeak = 0;
        windowCount = 0;
    }

    private void measureDelay(long timestamp, long arrivalNanos) {
        // unwrap the 32-bit timestamp relative to the previous packet
        extendedTimestamp += (int) (timestamp - lastTimestamp);
        lastTimestamp = timestamp;
        double transit = arrivalNanos / 1e6 - extendedTimestamp * 1000.0 / clockRate;
        currentMinTransit = Math.min(currentMinTransit, transit);
        double base = Math.min(previousMinTransit, currentMinTransit);
        double excess = transit - base;
        currentPeak = Math.max(currentPeak, excess);
        double peak = Math.max(previousPeak, currentPeak);
        if (++windowCount == WINDOW) {
            previousMinTransit = currentMinTransit;
            previousPeak = currentPeak;
            currentMinTransit = Double.POSITIVE_INFINITY;
            currentPeak = 0;
            windowCount = 0;
        }
        int frames = (int) Math.ceil((peak + frameMillis) / frameMillis);
        targetFrames = Math.max(minFrames, Math.min(maxFrames, frames));
    }

    public synchronized int targetDepthMillis() {
        return targetFrames * frameMillis;
    }

    public synchronized int bufferedFrames() {
        return count;
    }

    public synchronized long accepted() {
        return accepted;
    }

    public synchronized long late() {
        return late;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long concealed() {
        return concealed;
    }

    /** Packets dropped to shrink the buffer or because they were too large. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Times the buffer started over on a new SSRC or a sequence jump. */
    public synchronized long resyncs() {
        return resyncs;
    }
}
