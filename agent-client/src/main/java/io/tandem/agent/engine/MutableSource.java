package io.tandem.agent.engine;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSource;
import java.util.Arrays;

/**
 * The call's microphone with two switches: mute (the agent's choice) and hold (while the far end is held the agent's
 * voice must not reach it, whatever the far end's SDP allows). Either sends silence while the source keeps draining.
 */
final class MutableSource implements MediaSource {
    private final MediaSource source;
    private volatile boolean muted;
    private volatile boolean held;

    MutableSource(MediaSource source) {
        this.source = source;
    }

    void setMuted(boolean newMuted) {
        muted = newMuted;
    }

    boolean muted() {
        return muted;
    }

    void setHeld(boolean newHeld) {
        held = newHeld;
    }

    @Override
    public boolean read(short[] frame) {
        boolean more = source == null ? silence(frame) : source.read(frame);
        if (muted || held) {
            Arrays.fill(frame, 0, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        }
        return more || source == null;
    }

    private static boolean silence(short[] frame) {
        Arrays.fill(frame, 0, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
        return true;
    }

    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
    }
}
