package io.tandem.agent.engine;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSource;
import java.util.Arrays;

/** The call's microphone with a mute switch: muted, the far end gets silence while the source keeps draining. */
final class MutableSource implements MediaSource {
    private final MediaSource source;
    private volatile boolean muted;

    MutableSource(MediaSource source) {
        this.source = source;
    }

    void setMuted(boolean newMuted) {
        muted = newMuted;
    }

    boolean muted() {
        return muted;
    }

    @Override
    public boolean read(short[] frame) {
        boolean more = source == null ? silence(frame) : source.read(frame);
        if (muted) {
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
