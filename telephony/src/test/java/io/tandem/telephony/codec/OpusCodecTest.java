package io.tandem.telephony.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.SineSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpusCodecTest {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    private static final int FRAMES = 50;

    private static short[] roundTrip(OpusCodec codec, SineSource source, int frames, int[] sizes) {
        short[] out = new short[frames * N];
        short[] frame = AudioFrames.newFrame();
        short[] decoded = AudioFrames.newFrame();
        byte[] payload = new byte[codec.maxPayloadSize()];
        for (int f = 0; f < frames; f++) {
            source.read(frame);
            int bytes = codec.encode(frame, payload, 0);
            if (sizes != null) {
                sizes[f] = bytes;
            }
            assertThat(codec.decode(payload, 0, bytes, decoded)).isEqualTo(N);
            System.arraycopy(decoded, 0, out, f * N, N);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {400, 1000, 2500})
    void toneRoundTripsWithItsFrequency(int hz) {
        short[] out = roundTrip(new OpusCodec(), new SineSource(hz, 10000), FRAMES, null);
        int off = 10 * N;
        int len = out.length - off;
        assertThat(Goertzel.dominant(out, off, len, 8000, 400, 700, 1000, 1600, 2500, 3200)).isEqualTo((double) hz);
        assertThat(Goertzel.toneRatio(out, off, len, hz, 8000)).isGreaterThan(0.8);
        ToneFit fit = ToneFit.of(out, off, len, hz, 8000);
        assertThat(fit.amplitude).isBetween(0.7 * 10000, 1.3 * 10000);
        assertThat(fit.snrDb).isGreaterThan(10);
    }

    @Test
    void packetsAreSaneTwentyMillisecondOpusFrames() {
        int[] sizes = new int[FRAMES];
        OpusCodec codec = new OpusCodec();
        short[] frame = AudioFrames.newFrame();
        byte[] payload = new byte[codec.maxPayloadSize()];
        SineSource source = new SineSource(700, 1300, 12000);
        for (int f = 0; f < FRAMES; f++) {
            source.read(frame);
            sizes[f] = codec.encode(frame, payload, 0);
            // RFC 6716 §3.1: TOC byte; code 0 = one frame per packet, and its config says 20 ms.
            assertThat(payload[0] & 0x03).as("frame count code").isZero();
            assertThat(frameMillis((payload[0] & 0xFF) >> 3)).as("frame duration").isEqualTo(20.0);
        }
        long total = 0;
        for (int s : sizes) {
            assertThat(s).isBetween(8, 200);
            total += s;
        }
        // Average close to the configured bitrate: 24 kbit/s = 60 octets per 20 ms.
        assertThat(total * 8 * 50 / FRAMES).isBetween(12_000L, 36_000L);
    }

    @Test
    void concealmentAfterAToneIsNotSilence() {
        OpusCodec codec = new OpusCodec();
        roundTrip(codec, new SineSource(600, 10000), 25, null);
        short[] hidden = AudioFrames.newFrame();
        codec.conceal(hidden);
        assertThat(ToneFit.rms(hidden, 0, N)).as("PLC level").isGreaterThan(1000);
        assertThat(Goertzel.dominant(hidden, 0, N, 8000, 300, 600, 1200, 2400)).isEqualTo(600);
    }

    @Test
    void aLostPacketIsBridgedAndTheToneCarriesOn() {
        OpusCodec codec = new OpusCodec();
        SineSource source = new SineSource(1000, 10000);
        short[] frame = AudioFrames.newFrame();
        short[] decoded = AudioFrames.newFrame();
        byte[] payload = new byte[codec.maxPayloadSize()];
        for (int f = 0; f < 30; f++) {
            source.read(frame);
            int bytes = codec.encode(frame, payload, 0);
            if (f == 10) {
                codec.conceal(decoded);      // packet 10 lost on the way
            } else {
                assertThat(codec.decode(payload, 0, bytes, decoded)).isEqualTo(N);
            }
            if (f >= 5) {
                // SILK's predictors need a few frames to re-converge after a gap (the level swings),
                // but no frame loses the tone or falls silent.
                assertThat(Goertzel.dominant(decoded, 0, N, 8000, 500, 1000, 2000, 3000))
                        .as("frame %d", f).isEqualTo(1000);
                assertThat(ToneFit.rms(decoded, 0, N)).as("frame %d level", f).isGreaterThan(500);
            }
        }
        assertThat(codec.badPayloads()).isZero();
    }

    @Test
    void monoDecoderPlaysAStereoStream() throws Exception {
        // RFC 7587 §3.4: a receiver may get stereo whatever it asked for; we down-mix.
        OpusEncoder stereo = new OpusEncoder(8000, 2, OpusApplication.OPUS_APPLICATION_VOIP);
        OpusCodec codec = new OpusCodec();
        SineSource source = new SineSource(900, 10000);
        short[] mono = AudioFrames.newFrame();
        short[] interleaved = new short[2 * N];
        byte[] packet = new byte[1275];
        short[] out = new short[20 * N];
        short[] decoded = AudioFrames.newFrame();
        for (int f = 0; f < 20; f++) {
            source.read(mono);
            for (int i = 0; i < N; i++) {
                interleaved[2 * i] = mono[i];
                interleaved[2 * i + 1] = mono[i];
            }
            int bytes = stereo.encode(interleaved, 0, N, packet, 0, packet.length);
            assertThat(codec.decode(packet, 0, bytes, decoded)).isEqualTo(N);
            System.arraycopy(decoded, 0, out, f * N, N);
        }
        assertThat(Goertzel.toneRatio(out, 5 * N, 15 * N, 900, 8000)).isGreaterThan(0.8);
    }

    @Test
    void badPayloadsAreCountedAndGiveSilence() {
        OpusCodec codec = new OpusCodec();
        short[] pcm = AudioFrames.newFrame();
        java.util.Arrays.fill(pcm, (short) 77);
        assertThat(codec.decode(new byte[0], 0, 0, pcm)).isZero();
        // Code 3 packet (RFC 6716 §3.2.5) announcing zero frames: malformed by R5.
        assertThat(codec.decode(new byte[] {0x0B, 0x00}, 0, 2, pcm)).isZero();
        assertThat(pcm).containsOnly((short) 0);
        assertThat(codec.badPayloads()).isEqualTo(2);
    }

    @Test
    void sdpAndTimingFollowRfc7587() {
        OpusCodec codec = new OpusCodec();
        assertThat(codec.spec().rtpmap()).isEqualTo("opus/48000/2");
        assertThat(codec.spec().payloadType()).isEqualTo(111);
        assertThat(codec.spec().timestampStep()).isEqualTo(960);
        assertThat(new OpusCodec(CodecSpec.OPUS.withPayloadType(96)).spec().payloadType()).isEqualTo(96);
        assertThatThrownBy(() -> new OpusCodec(CodecSpec.G722)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("G722/8000");
    }

    /** Frame duration in ms of a TOC configuration number (RFC 6716 §3.1, Table 2). */
    private static double frameMillis(int config) {
        if (config < 12) {
            return new double[] {10, 20, 40, 60}[config % 4];
        }
        if (config < 16) {
            return new double[] {10, 20}[config % 2];
        }
        return new double[] {2.5, 5, 10, 20}[config % 4];
    }
}
