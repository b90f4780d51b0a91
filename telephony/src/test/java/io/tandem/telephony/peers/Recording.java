package io.tandem.telephony.peers;

import io.tandem.telephony.media.Goertzel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Mono 16-bit PCM audio a peer recorded (first channel of a multi-channel file), with the checks
 * tests make on it: is a tone there, is it silent.
 *
 * @param samples    the samples
 * @param sampleRate samples per second (8000 for a G.711 call)
 */
public record Recording(short[] samples, int sampleRate) {

    /** Reads a PCM WAV file (what baresip's sndfile module writes). */
    public static Recording read(Path wav) {
        try {
            return PeerWavReader.read(wav);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read WAV " + wav + ": " + e.getMessage(), e);
        }
    }

    /** A sine of {@code hz} at {@code amplitude} (0..32767), {@code length} long: audio for a WAV source. */
    public static Recording sine(double hz, int amplitude, Duration length, int sampleRate) {
        short[] s = new short[(int) (length.toMillis() * sampleRate / 1000)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / sampleRate));
        }
        return new Recording(s, sampleRate);
    }

    /** Writes this audio as a 16-bit PCM mono WAV file (e.g. for {@code BaresipProcess.Builder#wavSource}). */
    public Path writeWav(Path file) {
        try {
            Files.write(file, PeerWavReader.encode(this));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public Duration duration() {
        return Duration.ofMillis(samples.length * 1000L / sampleRate);
    }

    /** The recording without its first {@code lead} (call set-up, jitter-buffer fill). */
    public Recording skip(Duration lead) {
        int n = (int) Math.min(samples.length, lead.toMillis() * sampleRate / 1000);
        short[] rest = new short[samples.length - n];
        System.arraycopy(samples, n, rest, 0, rest.length);
        return new Recording(rest, sampleRate);
    }

    /**
     * The share of the signal's energy at {@code frequencyHz}, in [0, 1]: near 1 when the recording
     * is that tone, near 0 for silence, noise or another tone. Computed per 20 ms block (50 Hz
     * resolution, so a codec's or resampler's small frequency error does not matter) and weighted
     * by each block's energy.
     */
    public double toneRatio(double frequencyHz) {
        int block = sampleRate / 50;
        double tone = 0;
        double total = 0;
        for (int off = 0; off + block <= samples.length; off += block) {
            tone += Goertzel.power(samples, off, block, frequencyHz, sampleRate);
            total += Goertzel.energy(samples, off, block) * block / 2.0;
        }
        return total < 1e-9 ? 0 : tone / total;
    }

    /** Among {@code candidates}, the frequency with the most energy over the whole recording. */
    public double dominantFrequency(double... candidates) {
        double best = Double.NaN;
        double bestRatio = -1;
        for (double f : candidates) {
            double r = toneRatio(f);
            if (r > bestRatio) {
                bestRatio = r;
                best = f;
            }
        }
        return best;
    }

    /** Root-mean-square level relative to full scale (0 = digital silence, ~0.707 = full-scale sine). */
    public double rms() {
        if (samples.length == 0) {
            return 0;
        }
        return Math.sqrt(Goertzel.energy(samples, 0, samples.length) / samples.length) / 32768.0;
    }

    @Override
    public String toString() {
        return "Recording[" + samples.length + " samples at " + sampleRate + " Hz, rms " + String.format("%.3f", rms()) + "]";
    }
}
