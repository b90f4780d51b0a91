package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.SineSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecsTest {

    @Test
    void defaultPreferenceOrderLeavesL16Out() {
        assertThat(Codecs.supported())
                .containsExactly(CodecSpec.PCMU, CodecSpec.PCMA, CodecSpec.G722, CodecSpec.OPUS);
        assertThat(Codecs.supportedWithL16())
                .startsWith(CodecSpec.PCMU, CodecSpec.PCMA, CodecSpec.G722, CodecSpec.OPUS)
                .contains(L16Codec.L16_8000, L16Codec.L16_16000);
    }

    @Test
    void everySupportedSpecCreatesAWorkingCodecThatCarriesATone() {
        for (CodecSpec spec : Codecs.supportedWithL16()) {
            assertThat(Codecs.isSupported(spec)).as(spec.rtpmap()).isTrue();
            AudioCodec codec = Codecs.create(spec);
            assertThat(codec.spec()).as(spec.rtpmap()).isEqualTo(spec);
            SineSource source = new SineSource(1000, 10000);
            short[] frame = AudioFrames.newFrame();
            short[] decoded = AudioFrames.newFrame();
            byte[] payload = new byte[codec.maxPayloadSize()];
            for (int f = 0; f < 15; f++) {
                source.read(frame);
                int bytes = codec.encode(frame, payload, 0);
                assertThat(codec.decode(payload, 0, bytes, decoded)).isEqualTo(AudioFrames.SAMPLES_PER_FRAME);
            }
            assertThat(Goertzel.toneRatio(decoded, 0, 160, 1000, 8000)).as(spec.rtpmap()).isGreaterThan(0.8);
        }
    }

    @Test
    void statefulCodecsAreNewInstancesEveryTime() {
        assertThat(Codecs.create(CodecSpec.G722)).isNotSameAs(Codecs.create(CodecSpec.G722));
        assertThat(Codecs.create(CodecSpec.OPUS)).isNotSameAs(Codecs.create(CodecSpec.OPUS));
        assertThat(Codecs.create(L16Codec.L16_16000)).isNotSameAs(Codecs.create(L16Codec.L16_16000));
    }

    @Test
    void payloadTypeFromTheSdpIsHonoured() {
        // RFC 3551 §3: an rtpmap may put any codec on a dynamic number, even a static one.
        assertThat(Codecs.create(CodecSpec.PCMU.withPayloadType(100)).spec().payloadType()).isEqualTo(100);
        assertThat(Codecs.create(CodecSpec.PCMA.withPayloadType(101)).spec().payloadType()).isEqualTo(101);
        assertThat(Codecs.create(CodecSpec.G722.withPayloadType(102)).spec().payloadType()).isEqualTo(102);
        assertThat(Codecs.create(CodecSpec.OPUS.withPayloadType(120)).spec().payloadType()).isEqualTo(120);
        assertThat(Codecs.create(L16Codec.L16_8000.withPayloadType(118)).spec().payloadType()).isEqualTo(118);
        assertThat(Codecs.create(CodecSpec.PCMU).spec().payloadType()).isZero();
    }

    @Test
    void renumberedG711StillCodesG711() {
        AudioCodec renumbered = Codecs.create(CodecSpec.PCMA.withPayloadType(99));
        short[] frame = AudioFrames.newFrame();
        new SineSource(440, 8000).read(frame);
        byte[] a = new byte[160];
        byte[] b = new byte[160];
        renumbered.encode(frame, a, 0);
        G711Codec.pcma().encode(frame, b, 0);
        assertThat(a).containsExactly(b);
    }

    @Test
    void namesMatchCaseInsensitively() {
        assertThat(Codecs.isSupported(new CodecSpec("pcmu", 0, 8000, 1))).isTrue();
        assertThat(Codecs.isSupported(new CodecSpec("g722", 9, 8000, 1))).isTrue();
        assertThat(Codecs.isSupported(new CodecSpec("OPUS", 111, 48000, 2))).isTrue();
        assertThat(Codecs.create(new CodecSpec("Opus", 107, 48000, 2))).isInstanceOf(OpusCodec.class);
    }

    @Test
    void unknownOrMismatchedCodecsAreRefusedByName() {
        CodecSpec g729 = new CodecSpec("G729", 18, 8000, 1);
        assertThat(Codecs.isSupported(g729)).isFalse();
        assertThatThrownBy(() -> Codecs.create(g729))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("G729/8000");
        // Right name, wrong clock: G722/16000 is a common mistake that would break RTP timestamps.
        CodecSpec wrongClock = new CodecSpec("G722", 9, 16000, 1);
        assertThat(Codecs.isSupported(wrongClock)).isFalse();
        assertThatThrownBy(() -> Codecs.create(wrongClock)).hasMessageContaining("G722/16000");
        assertThat(Codecs.isSupported(CodecSpec.TELEPHONE_EVENT)).isFalse();
        assertThat(Codecs.isSupported(null)).isFalse();
    }
}
