package io.tandem.telephony.media;

import io.tandem.telephony.codec.Resampler;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A prompt or a piece of music decoded once into pipeline samples (8 kHz), immutable, so any
 * number of {@link WavPlayer}s can play it at once — one copy of the hold music for every
 * caller on hold — and no file I/O happens on a media thread.
 */
public final class AudioClip {
    /** Longest clip accepted: 30 minutes (about 29 MB in memory at 8 kHz). */
    public static final int MAX_SAMPLES = 30 * 60 * AudioFrames.SAMPLE_RATE;

    private final short[] samples;

    private AudioClip(short[] samples) {
        this.samples = samples;
    }

    /** Loads a WAV file (8 or 16 kHz; 16 kHz is resampled to 8 kHz). */
    public static AudioClip load(Path wav) throws IOException {
        try (WavReader reader = WavReader.open(wav)) {
            return decode(reader);
        }
    }

    /** Decodes a WAV file held in memory. */
    public static AudioClip of(byte[] wav) throws IOException {
        try (WavReader reader = WavReader.of(wav)) {
            return decode(reader);
        }
    }

    /** A clip of 8 kHz samples (copied). */
    public static AudioClip ofSamples(short[] samples8k) {
        if (samples8k.length > MAX_SAMPLES) {
            throw new IllegalArgumentException("clip longer than " + MAX_SAMPLES + " samples");
        }
        return new AudioClip(samples8k.clone());
    }

    private static AudioClip decode(WavReader reader) throws IOException {
        int rate = reader.format().sampleRate();
        int ratio = rate / AudioFrames.SAMPLE_RATE;
        short[] raw = reader.readAll(MAX_SAMPLES * ratio);
        return new AudioClip(rate == AudioFrames.SAMPLE_RATE ? raw : downsample(raw, rate));
    }

    /**
     * Converts to 8 kHz with the codec's anti-aliasing resampler, compensating its group delay
     * so the clip keeps its length and does not start with a gap.
     */
    private static short[] downsample(short[] in, int rate) {
        Resampler resampler = Resampler.create(rate, AudioFrames.SAMPLE_RATE);
        int ratio = rate / AudioFrames.SAMPLE_RATE;
        int delay = (int) Math.round(resampler.delay());
        int outLen = in.length / ratio;
        // Zeros pushed after the clip flush the filter's tail (its last `delay` output samples).
        short[] zeros = new short[(delay + 2) * ratio];
        short[] out = new short[resampler.maxOutput(in.length) + resampler.maxOutput(zeros.length)];
        int n = resampler.process(in, 0, in.length, out, 0);
        n += resampler.process(zeros, 0, zeros.length, out, n);
        short[] result = new short[outLen];
        System.arraycopy(out, Math.min(delay, n), result, 0, Math.max(0, Math.min(outLen, n - delay)));
        return result;
    }

    /** Length in samples at 8 kHz. */
    public int length() {
        return samples.length;
    }

    public Duration duration() {
        return Duration.ofMillis(samples.length * 1000L / AudioFrames.SAMPLE_RATE);
    }

    /** Copies {@code len} samples from {@code from} into {@code dst[off..]}. */
    void copy(int from, short[] dst, int off, int len) {
        System.arraycopy(samples, from, dst, off, len);
    }
}
