package io.tandem.agent.audio;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSink;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ringtone: a 440 + 480 Hz ring, 2 s on, 4 s off (the North American ring cadence), played on the speaker while
 * an offer rings. Without a sound device it stays silent (logged once): a missing ringtone never stops an offer.
 */
public final class Ringer {
    private static final Logger LOG = LoggerFactory.getLogger(Ringer.class);
    private static final int ON_FRAMES = 100;
    private static final int CYCLE_FRAMES = 300;

    private final AudioPath speaker;
    private final AtomicBoolean ringing = new AtomicBoolean();
    private volatile boolean warned;

    public Ringer(AudioPath speaker) {
        this.speaker = speaker;
    }

    public void start() {
        if (!ringing.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(this::ring, "phone-ringer");
        t.setDaemon(true);
        t.start();
    }

    public void stop() {
        ringing.set(false);
    }

    public boolean ringing() {
        return ringing.get();
    }

    private void ring() {
        MediaSink sink;
        try {
            sink = speaker.ringtone();
        } catch (java.io.IOException e) {
            if (!warned) {
                warned = true;
                LOG.info("no ringtone: {}", e.getMessage());
            }
            return;
        }
        if (sink == null) {
            return;
        }
        short[] frame = AudioFrames.newFrame();
        long sample = 0;
        try {
            for (int n = 0; ringing.get(); n++) {
                boolean on = n % CYCLE_FRAMES < ON_FRAMES;
                for (int i = 0; i < frame.length; i++, sample++) {
                    double t = sample / (double) AudioFrames.SAMPLE_RATE;
                    frame[i] = on ? (short) (4000 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)))
                            : 0;
                }
                sink.write(frame);
                Thread.sleep(AudioFrames.FRAME_MILLIS); // paces a generator thread, not a media thread
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sink.close();
        }
    }
}
