package io.tandem.telephony.codec;

import io.tandem.telephony.media.Goertzel;
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
