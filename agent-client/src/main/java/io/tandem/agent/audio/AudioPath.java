package io.tandem.agent.audio;

import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import java.io.IOException;

/**
 * Where a call's audio comes from and goes to: the sound card ({@link SoundCardAudio}) or WAV files
 * ({@link FileAudio}, for tests and headless runs). One capture and one playback per call, closed when it ends.
 * Both sides are 8 kHz 16-bit mono in 20 ms frames (telephony's {@code AudioFrames}).
 */
public interface AudioPath {

    /** What the far end hears during {@code callId}. */
    MediaSource capture(String callId) throws IOException;

    /** Where the far end's audio goes during {@code callId}. */
    MediaSink playback(String callId) throws IOException;

    /** Where the ringtone plays (the speaker), or null where there is none (file mode: no recording of rings). */
    MediaSink ringtone() throws IOException;

    /** A short description for the status line, e.g. "file: in.wav → out.wav" or the device names. */
    String describe();
}
