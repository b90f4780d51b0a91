package io.tandem.bench.phone;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds where tone bursts start in a recording: the first sample past {@value #ONSET} after at least
 * {@value #QUIET_SAMPLES} samples (50 ms) below {@value #QUIET}. The bursts ({@link ToneBursts}) start on a cosine's
 * peak, so their first sample is already loud and the onset is exact to the sample; G.711 keeps silence at 0.
 */
final class Onsets {
    static final int ONSET = 4000;
    static final int QUIET = 1000;
    static final int QUIET_SAMPLES = AudioFrames.SAMPLE_RATE / 20;

    private Onsets() {
    }

    static List<Long> find(Path wav) throws IOException {
        try (WavReader reader = WavReader.open(wav)) {
            return find(reader.readAll(AudioFrames.SAMPLE_RATE * 3600));
        }
    }

    static List<Long> find(short[] samples) {
        List<Long> onsets = new ArrayList<>();
        int quiet = 0;
        for (int i = 0; i < samples.length; i++) {
            int level = Math.abs(samples[i]);
            if (level >= ONSET && quiet >= QUIET_SAMPLES) {
                onsets.add((long) i);
            }
            quiet = level < QUIET ? quiet + 1 : 0;
        }
        return onsets;
    }
}
