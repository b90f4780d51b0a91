package io.tandem.telephony.media;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class WavPlayerTest {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    /** {@code seconds} of a sine at {@code hz}, sampled at {@code rate}. */
    private static short[] sine(double hz, int rate, double seconds) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    private static short[] play(WavPlayer player, int frames) {
        short[] all = new short[frames * N];
        short[] frame = AudioFrames.newFrame();
        for (int f = 0; f < frames; f++) {
            player.read(frame);
            System.arraycopy(frame, 0, all, f * N, N);
        }
        return all;
    }

    @Test
    void plays8kFileAsTheToneItHolds() throws IOException {
        WavPlayer player = WavPlayer.of(WavWriter.toBytes(WavFormat.PCM_8K, sine(1000, 8000, 0.5)), false);
        short[] heard = play(player, 25);
        assertThat(Goertzel.toneRatio(heard, 0, heard.length, 1000, 8000)).isGreaterThan(0.9);
    }

    @Test
    void resamples16kFileTo8kKeepingPitchAndLength() throws IOException {
        AudioClip clip = AudioClip.of(WavWriter.toBytes(WavFormat.PCM_16K, sine(1000, 16000, 1.0)));
        assertThat(clip.length()).isEqualTo(8000);
        short[] heard = play(new WavPlayer(clip, false), 50);
        assertThat(Goertzel.toneRatio(heard, 800, 6400, 1000, 8000)).isGreaterThan(0.9);
    }

    @Test
    void resamplingRemovesWhat8kCannotCarry() throws IOException {
        // 5 kHz is above the 4 kHz Nyquist limit of the pipeline: it must not fold back to 3 kHz.
        AudioClip clip = AudioClip.of(WavWriter.toBytes(WavFormat.PCM_16K, sine(5000, 16000, 1.0)));
        short[] heard = play(new WavPlayer(clip, false), 50);
        double energy = Goertzel.energy(heard, 800, 6400);
        double passedThrough = Goertzel.energy(play(WavPlayer.of(
                WavWriter.toBytes(WavFormat.PCM_8K, sine(3000, 8000, 1.0)), false), 50), 800, 6400);
        assertThat(energy).isLessThan(passedThrough / 100); // at least 20 dB down
    }

    @Test
    void endsWithAPaddedLastFrameThenReportsTheEnd() throws IOException {
        short[] samples = new short[N + 10];
        java.util.Arrays.fill(samples, (short) 100);
        WavPlayer player = WavPlayer.of(WavWriter.toBytes(WavFormat.PCM_8K, samples), false);
        short[] frame = AudioFrames.newFrame();
        assertThat(player.read(frame)).isTrue();
        assertThat(frame).containsOnly((short) 100);
        assertThat(player.read(frame)).isTrue();
        assertThat(frame[9]).isEqualTo((short) 100);
        assertThat(frame[10]).isZero();
        assertThat(frame[N - 1]).isZero();
        assertThat(player.read(frame)).isFalse();
        assertThat(frame).containsOnly((short) 0);
        player.rewind();
        assertThat(player.read(frame)).isTrue();
    }

    @Test
    void loopingWrapsSeamlesslyForMusicOnHold() throws IOException {
        short[] samples = new short[250]; // not a whole number of frames
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) i;
        }
        WavPlayer player = new WavPlayer(AudioClip.ofSamples(samples), true);
        short[] heard = play(player, 10);
        for (int i = 0; i < heard.length; i++) {
            assertThat(heard[i]).isEqualTo((short) (i % 250));
        }
        player.close();
        assertThat(player.read(AudioFrames.newFrame())).isFalse();
    }

    @Test
    void oneClipServesManyPlayersIndependently() {
        short[] samples = new short[N * 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) i;
        }
        AudioClip clip = AudioClip.ofSamples(samples);
        WavPlayer first = new WavPlayer(clip, true);
        WavPlayer second = new WavPlayer(clip, true);
        short[] a = AudioFrames.newFrame();
        short[] b = AudioFrames.newFrame();
        first.read(a);
        first.read(a);
        second.read(b);
        assertThat(a[0]).isEqualTo((short) N);
        assertThat(b[0]).isZero();
    }

    @Test
    void emptyClipEndsAtOnce() {
        assertThat(new WavPlayer(AudioClip.ofSamples(new short[0]), true).read(AudioFrames.newFrame())).isFalse();
    }
}
