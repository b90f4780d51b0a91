package io.tandem.agent.audio;

import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/** The sound devices that can capture or play the phone's format, by name, for the settings view. */
public final class AudioDevices {

    private AudioDevices() {
    }

    public static List<String> microphones() {
        return supporting(new DataLine.Info(TargetDataLine.class, SoundCardAudio.FORMAT));
    }

    public static List<String> speakers() {
        return supporting(new DataLine.Info(SourceDataLine.class, SoundCardAudio.FORMAT));
    }

    private static List<String> supporting(Line.Info info) {
        List<String> names = new ArrayList<>();
        for (Mixer.Info mixer : AudioSystem.getMixerInfo()) {
            try {
                if (AudioSystem.getMixer(mixer).isLineSupported(info)) {
                    names.add(mixer.getName());
                }
            } catch (RuntimeException e) {
                // A broken driver hides its device from the list instead of breaking the settings view.
            }
        }
        return names;
    }
}
