package io.tandem.telephony.media;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DtmfTest {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    /** Concatenates what the source plays until it ends (plus some trailing silence). */
    private static short[] render(MediaSource source) {
        List<short[]> frames = new ArrayList<>();
        short[] frame = AudioFrames.newFrame();
        while (source.read(frame)) {
            frames.add(frame.clone());
        }
        frames.add(new short[N]);
        frames.add(new short[N]);
        short[] all = new short[frames.size() * N];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(frames.get(i), 0, all, i * N, N);
        }
        return all;
    }

    /** Runs the detector over {@code audio} starting at {@code shift} samples (not frame-aligned). */
    private static String detect(short[] audio, int shift) {
        DtmfDetector detector = new DtmfDetector();
        StringBuilder keys = new StringBuilder();
        short[] frame = new short[N];
        short[] shifted = new short[audio.length + shift + N];
        System.arraycopy(audio, 0, shifted, shift, audio.length);
        for (int off = 0; off + N <= shifted.length; off += N) {
            System.arraycopy(shifted, off, frame, 0, N);
            char k = detector.process(frame);
            if (k != DtmfDetector.NONE) {
                keys.append(k);
            }
        }
        return keys.toString();
    }

    @Test
    void keypadGridFollowsQ23() {
        assertThat(DtmfTones.rowHz('1')).isEqualTo(697);
        assertThat(DtmfTones.columnHz('1')).isEqualTo(1209);
        assertThat(DtmfTones.rowHz('0')).isEqualTo(941);
        assertThat(DtmfTones.columnHz('0')).isEqualTo(1336);
        assertThat(DtmfTones.rowHz('#')).isEqualTo(941);
        assertThat(DtmfTones.columnHz('#')).isEqualTo(1477);
        assertThat(DtmfTones.rowHz('d')).isEqualTo(941);
        assertThat(DtmfTones.columnHz('D')).isEqualTo(1633);
        assertThat(DtmfTones.isDigit('x')).isFalse();
        assertThatThrownBy(() -> DtmfTones.rowHz('x')).hasMessageContaining("'x'");
    }

    @Test
    void sourcePlaysBothFrequenciesOfEachKey() {
        short[] audio = render(DtmfTones.source("5", 100, 0, 10000));
        assertThat(Goertzel.toneRatio(audio, 0, 800, 770, 8000)).isBetween(0.4, 0.6);
        assertThat(Goertzel.toneRatio(audio, 0, 800, 1336, 8000)).isBetween(0.4, 0.6);
    }

    @Test
    void detectsEveryKeyOnceAtAnyAlignment() {
        String keys = "0123456789*#ABCD";
        short[] audio = render(DtmfTones.source(keys, 100, 100, 10000));
        for (int shift : new int[] {0, 37, 80, 123}) {
            assertThat(detect(audio, shift)).as("shift " + shift).isEqualTo(keys);
        }
    }

    @Test
    void detectsTheShortestTonesQ24RequiresAtAnyAlignment() {
        short[] audio = render(DtmfTones.source("1234567890", 40, 40, 10000));
        for (int shift = 0; shift < N; shift += 10) {
            assertThat(detect(audio, shift)).as("shift " + shift).isEqualTo("1234567890");
        }
    }

    @Test
    void aRepeatedKeyIsReportedOncePerPress() {
        assertThat(detect(render(DtmfTones.source("1111", 80, 80, 10000)), 0)).isEqualTo("1111");
        assertThat(detect(render(DtmfTones.source("9", 2000, 0, 10000)), 0)).isEqualTo("9");
    }

    @Test
    void ignoresTooShortBlips() {
        assertThat(detect(render(DtmfTones.source("7", 10, 100, 10000)), 40)).isEmpty();
    }

    @Test
    void worksOverAWideRangeOfLevelsAndAcceptsModestTwist() {
        assertThat(detect(render(DtmfTones.source("123", 100, 100, 1200)), 0)).isEqualTo("123");
        assertThat(detect(render(DtmfTones.source("123", 100, 100, 30000)), 0)).isEqualTo("123");
        // row 6 dB stronger than column (normal twist within 8 dB)
        assertThat(detect(render(twisted(697, 1209, 8000, 4000)), 0)).isEqualTo("1");
        // column 3 dB stronger than row (reverse twist within 4 dB)
        assertThat(detect(render(twisted(697, 1209, 5000, 7000)), 0)).isEqualTo("1");
    }

    @Test
    void rejectsExcessiveTwist() {
        // column 12 dB stronger than row: far beyond the 4 dB reverse twist allowed
        assertThat(detect(render(twisted(697, 1209, 1000, 4000)), 0)).isEmpty();
        // row 14 dB stronger than column
        assertThat(detect(render(twisted(697, 1209, 10000, 2000)), 0)).isEmpty();
    }

    @Test
    void ignoresSilenceSingleTonesCallProgressAndNoise() {
        assertThat(detect(new short[8000], 0)).isEmpty();
        assertThat(detect(render(new ToneSource(List.of(ToneSegment.tone(1000, 1000)), false, 10000)), 0)).isEmpty();
        assertThat(detect(render(new ToneSource(List.of(ToneSegment.tone(697, 1000)), false, 10000)), 0)).isEmpty();
        short[] ringback = new short[8000 * 6];
        MediaSource rb = CallProgressTone.of(CallProgressTone.Plan.NORTH_AMERICA, CallProgressTone.Kind.RINGBACK)
                .source(10000);
        short[] frame = AudioFrames.newFrame();
        for (int off = 0; off < ringback.length; off += N) {
            rb.read(frame);
            System.arraycopy(frame, 0, ringback, off, N);
        }
        assertThat(detect(ringback, 0)).isEmpty();
        Random random = new Random(42);
        short[] noise = new short[8000 * 10];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (random.nextGaussian() * 3000);
        }
        assertThat(detect(noise, 0)).isEmpty();
    }

    @Test
    void stillDetectsKeysUnderModerateNoise() {
        short[] audio = render(DtmfTones.source("2580", 100, 100, 10000));
        Random random = new Random(7);
        for (int i = 0; i < audio.length; i++) {
            audio[i] = AudioFrames.saturate(audio[i] + (int) (random.nextGaussian() * 300));
        }
        assertThat(detect(audio, 0)).isEqualTo("2580");
    }

    @Test
    void malformedFramesAreCountedNotThrown() {
        DtmfDetector detector = new DtmfDetector();
        assertThat(detector.process(new short[10])).isEqualTo(DtmfDetector.NONE);
        assertThat(detector.process(null)).isEqualTo(DtmfDetector.NONE);
        assertThat(detector.badFrames()).isEqualTo(2);
    }

    /** A key with separately chosen row and column amplitudes (peak). */
    private static MediaSource twisted(double row, double col, int rowAmp, int colAmp) {
        return new MediaSource() {
            int n;
            @Override
            public boolean read(short[] frame) {
                if (n >= 8000 / 5) {
                    return false;
                }
                for (int i = 0; i < N; i++, n++) {
                    frame[i] = (short) Math.round(rowAmp * Math.sin(2 * Math.PI * row * n / 8000)
                            + colAmp * Math.sin(2 * Math.PI * col * n / 8000));
                }
                return true;
            }
        };
    }
}
