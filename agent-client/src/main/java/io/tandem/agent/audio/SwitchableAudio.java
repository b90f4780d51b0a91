package io.tandem.agent.audio;

import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import java.io.IOException;

/** An {@link AudioPath} whose devices the agent may change in settings; the change applies from the next call. */
public final class SwitchableAudio implements AudioPath {
    private volatile AudioPath current;

    public SwitchableAudio(AudioPath initial) {
        this.current = initial;
    }

    public void use(AudioPath next) {
        current = next;
    }

    /** The path in use now (an engine with its own devices, pjsua2, reads the names or files from it). */
    public AudioPath current() {
        return current;
    }

    @Override
    public MediaSource capture(String callId) throws IOException {
        return current.capture(callId);
    }

    @Override
    public MediaSink playback(String callId) throws IOException {
        return current.playback(callId);
    }

    @Override
    public MediaSink ringtone() throws IOException {
        return current.ringtone();
    }

    @Override
    public String describe() {
        return current.describe();
    }
}
