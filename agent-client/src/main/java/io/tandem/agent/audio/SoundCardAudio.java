package io.tandem.agent.audio;

import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import java.io.IOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/**
 * The headset: {@code javax.sound} capture and playback at 8 kHz 16-bit mono, 20 ms frames, on the devices the agent
 * chose in settings (empty name: the system default). Lines are opened per call and closed when it ends, so another
 * program may use the headset between calls.
 */
public final class SoundCardAudio implements AudioPath {
    static final AudioFormat FORMAT = new AudioFormat(8000f, 16, 1, true, false);

    private final String microphone;
    private final String speaker;

    public SoundCardAudio(String microphone, String speaker) {
        this.microphone = microphone == null ? "" : microphone;
        this.speaker = speaker == null ? "" : speaker;
    }

    /** The capture device chosen in settings; empty: the system default. */
    public String microphone() {
        return microphone;
    }

    /** The playback device chosen in settings; empty: the system default. */
    public String speaker() {
        return speaker;
    }

    @Override
    public MediaSource capture(String callId) throws IOException {
        try {
            TargetDataLine line = (TargetDataLine) line(microphone, new DataLine.Info(TargetDataLine.class, FORMAT));
            return CaptureSource.open(line, FORMAT);
        } catch (LineUnavailableException | IllegalArgumentException e) {
            throw new IOException("microphone '" + label(microphone) + "' unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public MediaSink playback(String callId) throws IOException {
        try {
            SourceDataLine line = (SourceDataLine) line(speaker, new DataLine.Info(SourceDataLine.class, FORMAT));
            return PlaybackSink.open(line, FORMAT);
        } catch (LineUnavailableException | IllegalArgumentException e) {
            throw new IOException("speaker '" + label(speaker) + "' unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public MediaSink ringtone() throws IOException {
        return playback("ringtone");
    }

    private static DataLine line(String device, DataLine.Info info) throws LineUnavailableException {
        if (device.isEmpty()) {
            return (DataLine) AudioSystem.getLine(info);
        }
        for (Mixer.Info mixer : AudioSystem.getMixerInfo()) {
            if (mixer.getName().equals(device)) {
                return (DataLine) AudioSystem.getMixer(mixer).getLine(info);
            }
        }
        throw new LineUnavailableException("no device named '" + device + "'");
    }

    private static String label(String device) {
        return device.isEmpty() ? "system default" : device;
    }

    @Override
    public String describe() {
        return "headset: " + label(microphone) + " / " + label(speaker);
    }
}
