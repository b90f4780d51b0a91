package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.SineSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class L16CodecTest {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    @Test
    void eightKilohertzIsBigEndianSamplesUntouched() {
        L16Codec codec = new L16Codec(L16Codec.L16_8000);
        short[] frame = AudioFrames.newFrame();
        frame[0] = 0x1234;
        frame[1] = -2;            // 0xFFFE
        frame[2] = Short.MIN_VALUE;
        byte[] payload = new byte[codec.maxPayloadSize()];
        assertThat(codec.encode(frame, payload, 0)).isEqualTo(320);
        // RFC 3551 §4.5.11: network byte order, most significant octet first.
        assertThat(payload[0]).isEqualTo((byte) 0x12);
        assertThat(payload[1]).isEqualTo((byte) 0x34);
        assertThat(payload[2]).isEqualTo((byte) 0xFF);
        assertThat(payload[3]).isEqualTo((byte) 0xFE);
        assertThat(payload[4]).isEqualTo((byte) 0x80);
        assertThat(payload[5]).isEqualTo((byte) 0x00);

        short[] back = AudioFrames.newFrame();
        assertThat(codec.decode(payload, 0, 320, back)).isEqualTo(N);
        assertThat(back).containsExactly(frame);
    }

    @Test
    void encodesAtAnOffsetInTheBuffer() {
        L16Codec codec = new L16Codec(L16Codec.L16_8000);
        short[] frame = AudioFrames.newFrame();
        new SineSource(1000, 9000).read(frame);
        byte[] packet = new byte[12 + 320];
        codec.encode(frame, packet, 12);
        short[] back = AudioFrames.newFrame();
        codec.decode(packet, 12, 320, back);
        assertThat(back).containsExactly(frame);
    }

    @Test
    void sixteenKilohertzCarriesTheToneThroughTheResamplers() {
        L16Codec codec = new L16Codec(L16Codec.L16_16000);
        assertThat(codec.maxPayloadSize()).isEqualTo(640);
        assertThat(codec.spec().timestampStep()).isEqualTo(320);
        SineSource source = new SineSource(1000, 10000);
        short[] frame = AudioFrames.newFrame();
        byte[] payload = new byte[640];
        short[] out = new short[30 * N];
        short[] decoded = AudioFrames.newFrame();
        for (int f = 0; f < 30; f++) {
            source.read(frame);
            assertThat(codec.encode(frame, payload, 0)).isEqualTo(640);
            assertThat(codec.decode(payload, 0, 640, decoded)).isEqualTo(N);
            System.arraycopy(decoded, 0, out, f * N, N);
        }
        ToneFit fit = ToneFit.of(out, N, out.length - N, 1000, 8000);
        assertThat(fit.snrDb).isGreaterThan(40);
        assertThat(fit.amplitude).isBetween(9800.0, 10200.0);
    }

    @Test
    void shortOddAndEmptyPayloads() {
        L16Codec codec = new L16Codec(L16Codec.L16_8000);
        short[] pcm = AudioFrames.newFrame();
        java.util.Arrays.fill(pcm, (short) 5);
        assertThat(codec.decode(new byte[] {0x01, 0x00, 0x7F}, 0, 3, pcm)).isEqualTo(N);
        assertThat(pcm[0]).isEqualTo((short) 256);
        assertThat(pcm[1]).isZero();
        assertThat(codec.decode(new byte[] {0x01}, 0, 1, pcm)).isZero();
        assertThat(codec.badPayloads()).isEqualTo(1);
    }

    @Test
    void refusesVariantsItCannotPlay() {
        assertThatThrownBy(() -> new L16Codec(new CodecSpec("L16", 10, 44100, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("L16/44100/2");
    }
}
