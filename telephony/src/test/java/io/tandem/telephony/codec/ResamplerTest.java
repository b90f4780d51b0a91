package io.tandem.telephony.codec;

import io.tandem.telephony.media.Goertzel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ResamplerTest {
    private static final int FRAMES = 50; // one second of 20 ms frames

    /** Runs a whole signal through {@code r} in 20 ms frames of the input rate, as the pipeline does. */
    private static short[] inFrames(Resampler r, short[] in) {
        int frame = r.fromHz() / 50;
        short[] out = new short[r.maxOutput(in.length)];
        int written = 0;
        for (int off = 0; off < in.length; off += frame) {
            written += r.process(in, off, Math.min(frame, in.length - off), out, written);
        }
        return Arrays.copyOf(out, written);
    }

    @Test
    void oneKilohertzToneSurvivesUpAndDownAgain() {
        short[] original = ToneFit.tone(1000, 8000, 10000, 160 * FRAMES);
        short[] wide = inFrames(Resampler.create(8000, 16000), original);
        short[] back = inFrames(Resampler.create(16000, 8000), wide);

        assertThat(wide).hasSize(320 * FRAMES);
        assertThat(back).hasSize(160 * FRAMES);
        // Skip the first 20 ms while the filters fill.
        int off = 160;
        int len = back.length - off;
        assertThat(Goertzel.dominant(back, off, len, 8000, 500, 1000, 1500, 2000, 3000)).isEqualTo(1000);
        ToneFit fit = ToneFit.of(back, off, len, 1000, 8000);
        assertThat(fit.amplitude).isCloseTo(10000, within(200.0));
        assertThat(fit.snrDb).isGreaterThan(40);
    }

    @Test
    void roundTripDelaysByAWholeNumberOfSamples() {
        Resampler up = Resampler.create(8000, 16000);
        Resampler down = Resampler.create(16000, 8000);
        int delay = (int) Math.round(up.delay() / 2 + down.delay());
        assertThat(up.delay() / 2 + down.delay()).isEqualTo(delay);
        short[] original = ToneFit.tone(440, 8000, 12000, 160 * FRAMES);
        short[] back = inFrames(down, inFrames(up, original));
        double worst = 0;
        for (int n = 200; n < back.length; n++) {
            worst = Math.max(worst, Math.abs(back[n] - original[n - delay]));
        }
        // Sample by sample within 1 % of the amplitude after the filters' delay is taken out.
        assertThat(worst).isLessThan(120);
    }

    @Test
    void sixKilohertzToneIsRemovedGoingDownToEightKilohertz() {
        short[] in = ToneFit.tone(6000, 16000, 16000, 320 * FRAMES);
        short[] out = inFrames(Resampler.create(16000, 8000), in);
        int off = 160;
        double inRms = ToneFit.rms(in, 0, in.length);
        double outRms = ToneFit.rms(out, off, out.length - off);
        double attenuationDb = 20 * Math.log10(inRms / Math.max(outRms, 1e-3));
        assertThat(attenuationDb).isGreaterThanOrEqualTo(30);
    }

    @Test
    void toneNearTheTopOfTheTelephoneBandPassesAlmostUntouched() {
        short[] in = ToneFit.tone(3400, 16000, 10000, 320 * FRAMES);
        short[] out = inFrames(Resampler.create(16000, 8000), in);
        ToneFit fit = ToneFit.of(out, 160, out.length - 160, 3400, 8000);
        assertThat(20 * Math.log10(fit.amplitude / 10000)).isGreaterThan(-1.0);
    }

    @Test
    void imagesAreSuppressedGoingUp() {
        // 8k → 48k: a 1 kHz tone must not leave images at 7, 9, 15, 17 kHz...
        short[] in = ToneFit.tone(1000, 8000, 10000, 160 * FRAMES);
        short[] out = inFrames(Resampler.create(8000, 48000), in);
        assertThat(out).hasSize(960 * FRAMES);
        ToneFit fit = ToneFit.of(out, 960, out.length - 960, 1000, 48000);
        assertThat(fit.amplitude).isCloseTo(10000, within(200.0));
        assertThat(fit.snrDb).isGreaterThan(40);
    }

    @Test
    void everyRatePairKeepsTheTone() {
        int[] rates = {8000, 16000, 48000};
        for (int from : rates) {
            for (int to : rates) {
                short[] in = ToneFit.tone(1000, from, 8000, from / 50 * FRAMES);
                short[] out = inFrames(Resampler.create(from, to), in);
                assertThat(out).as("%d→%d", from, to).hasSize(to / 50 * FRAMES);
                int skip = to / 50;
                ToneFit fit = ToneFit.of(out, skip, out.length - skip, 1000, to);
                assertThat(fit.amplitude).as("%d→%d amplitude", from, to).isCloseTo(8000, within(160.0));
                assertThat(fit.snrDb).as("%d→%d SNR", from, to).isGreaterThan(40);
            }
        }
    }

    @Test
    void audioFileRatesConvertToAndFromThePipelineRate() {
        // Prompts and hold music arrive at CD and DAT-family rates; 1 s in odd 441-sample chunks.
        for (int rate : new int[] {11025, 12000, 22050, 24000, 32000, 44100}) {
            for (int[] pair : new int[][] {{rate, 8000}, {8000, rate}}) {
                int from = pair[0];
                int to = pair[1];
                Resampler r = Resampler.create(from, to);
                short[] in = ToneFit.tone(1000, from, 8000, from);
                short[] out = new short[r.maxOutput(in.length) + 1];
                int written = 0;
                for (int off = 0; off < in.length; off += 441) {
                    written += r.process(in, off, Math.min(441, in.length - off), out, written);
                }
                assertThat(written).as("%d→%d length", from, to).isBetween(to - 1, to + 1);
                int skip = to / 50;
                ToneFit fit = ToneFit.of(out, skip, written - skip, 1000, to);
                assertThat(fit.amplitude).as("%d→%d amplitude", from, to).isCloseTo(8000, within(160.0));
                assertThat(fit.snrDb).as("%d→%d SNR", from, to).isGreaterThan(40);
            }
        }
    }

    @Test
    void musicAboveTheTelephoneBandIsRemovedGoingDownFrom44100() {
        // 10 kHz would fold to 2 kHz at 8 kHz sampling: right in the middle of speech.
        short[] in = ToneFit.tone(10000, 44100, 16000, 44100);
        Resampler r = Resampler.create(44100, 8000);
        short[] out = new short[r.maxOutput(in.length)];
        int n = r.process(in, 0, in.length, out, 0);
        double attenuationDb = 20 * Math.log10(ToneFit.rms(in, 0, in.length) / Math.max(ToneFit.rms(out, 160, n - 160), 1e-3));
        assertThat(attenuationDb).isGreaterThanOrEqualTo(50);
    }

    @Test
    void framingDoesNotChangeTheOutput() {
        // State carries across calls: odd chunk sizes give exactly the one-piece result.
        short[] in = ToneFit.tone(700, 48000, 9000, 4800);
        Resampler whole = Resampler.create(48000, 8000);
        short[] expected = new short[whole.maxOutput(in.length)];
        int n = whole.process(in, 0, in.length, expected, 0);
        assertThat(n).isEqualTo(800);

        Resampler chunked = Resampler.create(48000, 8000);
        short[] actual = new short[expected.length];
        int written = 0;
        int[] sizes = {7, 13, 1, 160, 5, 96};
        int off = 0;
        for (int i = 0; off < in.length; i++) {
            int len = Math.min(sizes[i % sizes.length], in.length - off);
            written += chunked.process(in, off, len, actual, written);
            off += len;
        }
        assertThat(written).isEqualTo(800);
        assertThat(actual).containsExactly(expected);
    }

    @Test
    void resetForgetsTheHistory() {
        Resampler r = Resampler.create(8000, 16000);
        short[] loud = ToneFit.tone(1000, 8000, 20000, 160);
        short[] out = new short[320];
        r.process(loud, 0, 160, out, 0);
        r.reset();
        r.process(new short[160], 0, 160, out, 0);
        assertThat(ToneFit.rms(out, 0, 320)).isZero();
    }

    @Test
    void fullScaleInputSaturatesInsteadOfWrapping() {
        short[] square = new short[1600];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 20) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = inFrames(Resampler.create(8000, 16000), square);
        // Gibbs overshoot would wrap to the opposite sign without saturation.
        for (int i = 200; i < out.length; i++) {
            int expectedSign = Integer.signum(square[(i - 47) / 2]);
            if (Math.abs(out[i]) > 30000) {
                assertThat(Integer.signum(out[i])).as("sample %d", i).isEqualTo(expectedSign);
            }
        }
    }

    @Test
    void unsupportedRatesAreRefusedByName() {
        assertThatThrownBy(() -> Resampler.create(44000, 8000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("44000");
        assertThatThrownBy(() -> Resampler.create(8000, 96000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("96000");
        assertThat(Resampler.isSupportedRate(44100)).isTrue();
        assertThat(Resampler.isSupportedRate(0)).isFalse();
    }

    @Test
    void tooSmallOutputIsRefusedBeforeAnythingIsWritten() {
        Resampler r = Resampler.create(8000, 16000);
        assertThatThrownBy(() -> r.process(new short[160], 0, 160, new short[319], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
