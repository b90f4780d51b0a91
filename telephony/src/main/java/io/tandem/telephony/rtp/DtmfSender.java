package io.tandem.telephony.rtp;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Sends queued DTMF digits as RFC 4733 telephone-events from the media clock: the first
 * packet of an event carries the marker bit, one update per 20 ms tick extends its
 * duration, and the final packet (E bit) goes out three times (§2.5.1.4). Every packet of
 * an event carries the timestamp of its start (§2.3.1). While an event is under way the
 * stream sends no audio. {@link #enqueue} may be called from any thread; the rest runs on
 * the clock thread only.
 */
final class DtmfSender {
    private static final int END_PACKETS = 3;
    private static final int QUEUE_CAPACITY = 32;

    private record Digit(int event, int durationMillis) {
    }

    private final ArrayBlockingQueue<Digit> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

    // clock thread only
    private int event = -1;
    private long startTimestamp;
    private int duration;
    private int targetDuration;
    private int endsSent;
    private boolean first;

    /** @return false when the queue is full */
    boolean enqueue(int eventCode, int durationMillis) {
        return queue.offer(new Digit(eventCode, durationMillis));
    }

    boolean idle() {
        return event < 0 && queue.isEmpty();
    }

    /**
     * Writes this tick's event payload (4 bytes) into {@code out} when an event is under way.
     *
     * @param now       the stream's current RTP timestamp
     * @param step      timestamp units per tick
     * @param clockRate the telephone-event clock rate
     * @return null when there is no event to send; otherwise the packet to send
     */
    Packet tick(long now, int step, int clockRate, byte[] out, int off, Packet packet) {
        if (event < 0) {
            Digit d = queue.poll();
            if (d == null) {
                return null;
            }
            event = d.event();
            startTimestamp = now;
            duration = 0;
            // RFC 4733 §2.5.2.2: duration is 16 bits; cap long presses instead of segmenting
            targetDuration = Math.min(0xFFFF, Math.max(step, (int) ((long) d.durationMillis() * clockRate / 1000)));
            endsSent = 0;
            first = true;
        }
        boolean end;
        if (endsSent == 0) {
            duration = Math.min(targetDuration, duration + step);
            end = duration >= targetDuration;
        } else {
            end = true;
        }
        if (end) {
            endsSent++;
        }
        TelephoneEvent.write(out, off, event, end, TelephoneEvent.VOLUME, duration);
        packet.marker = first;
        packet.timestamp = startTimestamp;
        first = false;
        if (endsSent >= END_PACKETS) {
            event = -1;
        }
        return packet;
    }

    /** Marker and timestamp of the packet to send; reused, clock thread only. */
    static final class Packet {
        boolean marker;
        long timestamp;
    }
}
