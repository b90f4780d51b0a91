package io.tandem.agent.testing;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.WavFormat;
import io.tandem.telephony.media.WavWriter;
import java.io.IOException;
import java.nio.file.Path;

/** WAV files made by the test itself. */
public final class TestWavs {

    private TestWavs() {
    }

    /** {@code seconds} of a sine at {@code hz}, 8 kHz mono 16-bit. */
    public static Path tone(Path file, double hz, int seconds) throws IOException {
        short[] samples = new short[AudioFrames.SAMPLE_RATE * seconds];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8000 * Math.sin(2 * Math.PI * hz * i / AudioFrames.SAMPLE_RATE));
        }
        try (WavWriter writer = new WavWriter(file, WavFormat.PCM_8K)) {
            writer.write(samples, 0, samples.length);
        }
        return file;
    }
}
