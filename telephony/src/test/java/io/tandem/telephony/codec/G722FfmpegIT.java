package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.SineSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop against an independent G.722: libavcodec's, through the {@code ffmpeg} command of the
 * Debian package {@code ffmpeg}. libavcodec's decoder is bit-exact with the ITU-T reference, so
 * decoding our bitstream with it must give our decoder's samples exactly; and a stream its
 * encoder made must decode here to the same samples and the same tone.
 */
class G722FfmpegIT {
    private static final int RATE = 16000;

    @TempDir
    Path dir;

    private Ffmpeg ffmpeg;

    @BeforeEach
    void findFfmpeg() {
        ffmpeg = Ffmpeg.require(dir);
    }

    @Test
    void ffmpegDecodesOurBitstreamToExactlyOurSamples() throws Exception {
        short[] speechLike = testSignal(2 * RATE);
        byte[] ours = new byte[speechLike.length / 2];
        new G722Encoder().encode(speechLike, 0, speechLike.length, ours, 0);
        Path bitstream = dir.resolve("ours.g722");
        Files.write(bitstream, ours);

        Path decoded = dir.resolve("by-ffmpeg.raw");
        ffmpeg.run("-f", "g722", "-i", bitstream.toString(), "-f", "s16le", "-acodec", "pcm_s16le", decoded.toString());
        short[] theirs = Ffmpeg.readPcm(decoded);

        short[] mine = new short[ours.length * 2];
        new G722Decoder().decode(ours, 0, ours.length, mine, 0);
        assertThat(theirs).hasSize(mine.length);
        assertThat(theirs).as("libavcodec's decoding of our bitstream").containsExactly(mine);
        assertThat(Goertzel.dominant(theirs, 3200, theirs.length - 3200, RATE, 440, 1000, 2600, 6000))
                .isEqualTo(440);
    }

    @Test
    void weDecodeFfmpegsBitstreamToExactlyItsSamples() throws Exception {
        short[] speechLike = testSignal(2 * RATE);
        Path pcm = dir.resolve("in.raw");
        Ffmpeg.writePcm(pcm, speechLike);
        Path bitstream = dir.resolve("theirs.g722");
        ffmpeg.run("-f", "s16le", "-ar", String.valueOf(RATE), "-ac", "1", "-i", pcm.toString(),
                "-acodec", "g722", "-f", "g722", bitstream.toString());
        byte[] theirs = Files.readAllBytes(bitstream);
        assertThat(theirs.length).isEqualTo(speechLike.length / 2);

        Path reference = dir.resolve("reference.raw");
        ffmpeg.run("-f", "g722", "-i", bitstream.toString(), "-f", "s16le", "-acodec", "pcm_s16le", reference.toString());
        short[] expected = Ffmpeg.readPcm(reference);
        short[] mine = new short[theirs.length * 2];
        new G722Decoder().decode(theirs, 0, theirs.length, mine, 0);
        assertThat(mine).as("our decoding of libavcodec's bitstream").containsExactly(expected);

        ToneFit fit = ToneFit.of(mine, 3200, mine.length - 3200, 440, RATE);
        assertThat(fit.amplitude).isGreaterThan(0.8 * 8000);
    }

    @Test
    void ourEncoderMatchesLibavcodecsOctetForOctet() throws Exception {
        // Both follow the standard's fixed-point blocks, so the bitstreams are identical.
        short[] speechLike = testSignal(RATE);
        Path pcm = dir.resolve("in.raw");
        Ffmpeg.writePcm(pcm, speechLike);
        Path bitstream = dir.resolve("theirs.g722");
        ffmpeg.run("-f", "s16le", "-ar", String.valueOf(RATE), "-ac", "1", "-i", pcm.toString(),
                "-acodec", "g722", "-f", "g722", bitstream.toString());
        byte[] theirs = Files.readAllBytes(bitstream);
        byte[] ours = new byte[speechLike.length / 2];
        new G722Encoder().encode(speechLike, 0, speechLike.length, ours, 0);
        assertThat(ours).containsExactly(theirs);
    }

    @Test
    void rtpPayloadsFromThe8kHzPipelinePlayInFfmpegAtTheRightLevel() throws Exception {
        // The whole send path: 8 kHz frames, up-sampled, coded into 160-octet RTP payloads.
        G722Codec codec = new G722Codec();
        SineSource source = new SineSource(1000, 12000);
        short[] frame = AudioFrames.newFrame();
        byte[] stream = new byte[50 * 160];
        for (int f = 0; f < 50; f++) {
            source.read(frame);
            assertThat(codec.encode(frame, stream, f * 160)).isEqualTo(160);
        }
        Path bitstream = dir.resolve("rtp-payloads.g722");
        Files.write(bitstream, stream);
        Path decoded = dir.resolve("payloads.raw");
        ffmpeg.run("-f", "g722", "-i", bitstream.toString(), "-f", "s16le", "-acodec", "pcm_s16le", decoded.toString());
        short[] wide = Ffmpeg.readPcm(decoded);
        assertThat(wide).hasSize(50 * 320);
        ToneFit fit = ToneFit.of(wide, 1600, wide.length - 1600, 1000, RATE);
        assertThat(fit.amplitude).isBetween(0.9 * 12000, 1.1 * 12000);
        assertThat(fit.snrDb).isGreaterThan(30);
    }

    @Test
    void payloadsFromFfmpegPlayInThe8kHzPipeline() throws Exception {
        // The whole receive path: a wideband phone's G.722 cut into 20 ms payloads, decoded to 8 kHz.
        Path pcm = dir.resolve("tone16k.raw");
        Ffmpeg.writePcm(pcm, ToneFit.tone(1500, RATE, 12000, 50 * 320));
        Path bitstream = dir.resolve("phone.g722");
        ffmpeg.run("-f", "s16le", "-ar", String.valueOf(RATE), "-ac", "1", "-i", pcm.toString(),
                "-acodec", "g722", "-f", "g722", bitstream.toString());
        byte[] stream = Files.readAllBytes(bitstream);
        G722Codec codec = new G722Codec();
        short[] out = new short[50 * 160];
        short[] frame = AudioFrames.newFrame();
        for (int f = 0; f < 50; f++) {
            assertThat(codec.decode(stream, f * 160, 160, frame)).isEqualTo(160);
            System.arraycopy(frame, 0, out, f * 160, 160);
        }
        ToneFit fit = ToneFit.of(out, 800, out.length - 800, 1500, 8000);
        assertThat(fit.amplitude).isBetween(0.9 * 12000, 1.1 * 12000);
        assertThat(fit.snrDb).isGreaterThan(30);
    }

    /** 440 Hz + 2.6 kHz in the lower band, 6 kHz in the upper band, with a level sweep. */
    private static short[] testSignal(int length) {
        short[] s = new short[length];
        for (int n = 0; n < length; n++) {
            double t = (double) n / RATE;
            double envelope = 0.4 + 0.6 * Math.abs(Math.sin(2 * Math.PI * 1.5 * t));
            double v = 8000 * Math.sin(2 * Math.PI * 440 * t)
                    + envelope * 4000 * Math.sin(2 * Math.PI * 2600 * t)
                    + 2000 * Math.sin(2 * Math.PI * 6000 * t);
            s[n] = (short) Math.round(v);
        }
        return s;
    }
}
