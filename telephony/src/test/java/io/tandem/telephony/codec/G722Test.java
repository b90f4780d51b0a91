package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.SineSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class G722Test {
    private static final int FRAMES = 50;
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    /** Encodes then decodes {@code frames} frames from {@code source}; returns the decoded audio. */
    private static short[] roundTrip(G722Codec codec, SineSource source, int frames) {
        short[] out = new short[frames * N];
        short[] frame = AudioFrames.newFrame();
        short[] decoded = AudioFrames.newFrame();
        byte[] payload = new byte[codec.maxPayloadSize()];
        for (int f = 0; f < frames; f++) {
            source.read(frame);
            int bytes = codec.encode(frame, payload, 0);
            assertThat(bytes).isEqualTo(160);
            assertThat(codec.decode(payload, 0, bytes, decoded)).isEqualTo(N);
            System.arraycopy(decoded, 0, out, f * N, N);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {300, 1000, 3000})
    void toneRoundTripsWithItsFrequencyAndLevel(int hz) {
        short[] out = roundTrip(new G722Codec(), new SineSource(hz, 12000), FRAMES);
        // Skip 100 ms: the ADPCM scale factors start from their minimum and need a moment to open up.
        int off = 5 * N;
        int len = out.length - off;
        assertThat(Goertzel.dominant(out, off, len, 8000, 300, 500, 1000, 2000, 3000, 3400))
                .isEqualTo((double) hz);
        // The fit leaves phase free, which is what aligning the codec's ~7 ms delay does for a tone.
        ToneFit fit = ToneFit.of(out, off, len, hz, 8000);
        assertThat(fit.snrDb).as("SNR").isGreaterThanOrEqualTo(20);
        assertThat(20 * Math.log10(fit.amplitude / 12000)).as("level change in dB").isCloseTo(0, within(1.0));
    }

    @Test
    void wideBandSignalSurvivesTheCoreSampleBySample() {
        // The ADPCM core at its native 16 kHz, with content in both sub-bands (500 Hz + 5.5 kHz).
        int len = 16000;
        short[] in = new short[len];
        for (int n = 0; n < len; n++) {
            in[n] = (short) Math.round(9000 * Math.sin(2 * Math.PI * 500 * n / 16000.0)
                    + 3000 * Math.sin(2 * Math.PI * 5500 * n / 16000.0));
        }
        byte[] bits = new byte[len / 2];
        assertThat(new G722Encoder().encode(in, 0, len, bits, 0)).isEqualTo(len / 2);
        short[] out = new short[len];
        assertThat(new G722Decoder().decode(bits, 0, bits.length, out, 0)).isEqualTo(len);

        // Two 24-tap QMFs delay by 23 samples; the decoder writes each output pair where the input
        // pair stood, which takes one back: 22. Found by correlation rather than assumed.
        int delay = bestLag(in, out, 40);
        assertThat(delay).isEqualTo(22);
        double signal = 0;
        double noise = 0;
        for (int n = 1600; n < len; n++) {
            double e = out[n] - in[n - delay];
            signal += (double) in[n - delay] * in[n - delay];
            noise += e * e;
        }
        assertThat(10 * Math.log10(signal / noise)).as("SNR at 16 kHz").isGreaterThan(20);
        assertThat(Goertzel.power(out, 1600, len - 1600, 5500, 16000))
                .as("upper band carried")
                .isGreaterThan(0.05 * Goertzel.power(out, 1600, len - 1600, 500, 16000));
    }

    @Test
    void silenceStaysNearSilence() {
        G722Codec codec = new G722Codec();
        short[] silence = AudioFrames.newFrame();
        short[] decoded = AudioFrames.newFrame();
        byte[] payload = new byte[160];
        for (int f = 0; f < FRAMES; f++) {
            codec.encode(silence, payload, 0);
            codec.decode(payload, 0, 160, decoded);
            assertThat(ToneFit.rms(decoded, 0, N)).as("frame %d", f).isLessThan(8);
        }
    }

    @Test
    void silenceAfterSpeechDecaysToNearSilence() {
        G722Codec codec = new G722Codec();
        roundTrip(codec, new SineSource(800, 20000), 10);
        short[] silence = AudioFrames.newFrame();
        short[] decoded = AudioFrames.newFrame();
        byte[] payload = new byte[160];
        for (int f = 0; f < 10; f++) {
            codec.encode(silence, payload, 0);
            codec.decode(payload, 0, 160, decoded);
        }
        assertThat(ToneFit.rms(decoded, 0, N)).isLessThan(8);
    }

    @Test
    void encoderAndDecoderAreDeterministic() {
        SineSource a = new SineSource(1000, 1800, 15000);
        SineSource b = new SineSource(1000, 1800, 15000);
        G722Codec first = new G722Codec();
        G722Codec second = new G722Codec();
        short[] frameA = AudioFrames.newFrame();
        short[] frameB = AudioFrames.newFrame();
        byte[] bytesA = new byte[160];
        byte[] bytesB = new byte[160];
        short[] outA = AudioFrames.newFrame();
        short[] outB = AudioFrames.newFrame();
        for (int f = 0; f < 20; f++) {
            a.read(frameA);
            b.read(frameB);
            first.encode(frameA, bytesA, 0);
            second.encode(frameB, bytesB, 0);
            assertThat(bytesA).as("frame %d", f).containsExactly(bytesB);
            first.decode(bytesA, 0, 160, outA);
            second.decode(bytesB, 0, 160, outB);
            assertThat(outA).as("frame %d", f).containsExactly(outB);
        }
    }

    @Test
    void encoderAndDecoderTrackTheSameState() {
        // Property of ADPCM: the encoder's internal reconstruction is what the decoder outputs, so
        // decoding the same stream twice from reset gives the same samples, and decoding a stream
        // with a corrupted octet reconverges (adaptation forgets the error).
        short[] in = new short[16000];
        for (int n = 0; n < in.length; n++) {
            in[n] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 1200 * n / 16000.0));
        }
        byte[] bits = new byte[8000];
        new G722Encoder().encode(in, 0, in.length, bits, 0);
        short[] clean = new short[16000];
        new G722Decoder().decode(bits, 0, bits.length, clean, 0);
        byte[] corrupted = bits.clone();
        corrupted[1000] ^= 0x3F;
        short[] hurt = new short[16000];
        new G722Decoder().decode(corrupted, 0, corrupted.length, hurt, 0);
        int worstLate = 0;
        for (int n = 12000; n < 16000; n++) {
            worstLate = Math.max(worstLate, Math.abs(clean[n] - hurt[n]));
        }
        assertThat(worstLate).isLessThan(200);
    }

    @Test
    void sdpAndTimingFollowRfc3551() {
        G722Codec codec = new G722Codec();
        assertThat(codec.spec().payloadType()).isEqualTo(9);
        assertThat(codec.spec().rtpmap()).isEqualTo("G722/8000");
        assertThat(codec.spec().timestampStep()).isEqualTo(160);
        assertThat(codec.maxPayloadSize()).isEqualTo(160);
    }

    @Test
    void shortPayloadFillsTheStartOfTheFrameAndEmptyOneIsUnusable() {
        G722Codec codec = new G722Codec();
        short[] frame = AudioFrames.newFrame();
        Arrays.fill(frame, (short) 1234);
        assertThat(codec.decode(new byte[80], 0, 80, frame)).isEqualTo(N);
        for (int i = 80; i < N; i++) {
            assertThat(frame[i]).isZero();
        }
        Arrays.fill(frame, (short) 1234);
        assertThat(codec.decode(new byte[0], 0, 0, frame)).isZero();
        assertThat(frame).containsOnly((short) 0);
    }

    @Test
    void overlongPayloadIsCountedNotOverrun() {
        G722Codec codec = new G722Codec();
        short[] frame = AudioFrames.newFrame();
        assertThat(codec.decode(new byte[240], 0, 240, frame)).isEqualTo(N);
        assertThat(codec.discardedOctets()).isEqualTo(80);
    }

    @Test
    void refusesAForeignSpec() {
        assertThatThrownBy(() -> new G722Codec(CodecSpec.PCMU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PCMU/8000");
    }

    @Test
    void dynamicPayloadTypeIsHonoured() {
        assertThat(new G722Codec(CodecSpec.G722.withPayloadType(109)).spec().payloadType()).isEqualTo(109);
    }

    static int bestLag(short[] in, short[] out, int maxLag) {
        int best = 0;
        double bestCorr = Double.NEGATIVE_INFINITY;
        for (int lag = 0; lag <= maxLag; lag++) {
            double c = 0;
            for (int n = 1600; n < in.length; n++) {
                c += (double) out[n] * in[n - lag];
            }
            if (c > bestCorr) {
                bestCorr = c;
                best = lag;
            }
        }
        return best;
    }
}
