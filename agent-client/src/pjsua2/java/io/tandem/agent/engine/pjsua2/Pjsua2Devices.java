package io.tandem.agent.engine.pjsua2;

import io.tandem.agent.audio.AudioPath;
import io.tandem.agent.audio.SoundCardAudio;
import io.tandem.agent.audio.SwitchableAudio;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pjsip.pjsua2.AudDevManager;
import org.pjsip.pjsua2.AudioDevInfo;
import org.pjsip.pjsua2.AudioDevInfoVector2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PJSIP's sound devices (ALSA, and PulseAudio through ALSA's pulse plugin) chosen by the names in the phone's
 * settings. The settings name a device as Java Sound does; ALSA's names for the same card differ in decoration, so a
 * device matches when either name contains the other; no match keeps PJSIP's default device.
 */
final class Pjsua2Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Pjsua2Devices.class);

    private Pjsua2Devices() {
    }

    /** Sets the capture and playback devices from {@code audio}'s names (PJSIP thread). */
    static void choose(AudDevManager devices, AudioPath audio) throws Exception {
        AudioPath path = audio instanceof SwitchableAudio switchable ? switchable.current() : audio;
        String microphone = path instanceof SoundCardAudio card ? card.microphone() : "";
        String speaker = path instanceof SoundCardAudio card ? card.speaker() : "";
        AudioDevInfoVector2 all = devices.enumDev2();
        try {
            int capture = find(all, microphone, true);
            int playback = find(all, speaker, false);
            if (capture >= 0) {
                devices.setCaptureDev(capture);
            }
            if (playback >= 0) {
                devices.setPlaybackDev(playback);
            }
            LOG.info("pjsua2 audio: capture {}, playback {} of {}", capture < 0 ? "default" : capture,
                    playback < 0 ? "default" : playback, names(all, true));
        } finally {
            all.delete();
        }
    }

    /** Names of the devices that capture ({@code input}) or play. */
    static List<String> names(AudioDevInfoVector2 all, boolean input) {
        List<String> names = new ArrayList<>();
        for (AudioDevInfo device : all) {
            if (input ? device.getInputCount() > 0 : device.getOutputCount() > 0) {
                names.add(device.getName());
            }
        }
        return names;
    }

    private static int find(AudioDevInfoVector2 all, String wanted, boolean input) {
        if (wanted == null || wanted.isBlank()) {
            return -1;
        }
        String w = wanted.toLowerCase(Locale.ROOT);
        for (int i = 0; i < all.size(); i++) {
            AudioDevInfo device = all.get(i);
            String name = device.getName().toLowerCase(Locale.ROOT);
            boolean direction = input ? device.getInputCount() > 0 : device.getOutputCount() > 0;
            if (direction && (name.contains(w) || w.contains(name))) {
                return i;
            }
        }
        LOG.warn("no PJSIP sound device like '{}': the default one", wanted);
        return -1;
    }
}
