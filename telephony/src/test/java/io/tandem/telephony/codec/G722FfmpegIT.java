package io.tandem.telephony.codec;

import io.tandem.telephony.media.Goertzel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Interop against an independent G.722: libavcodec's, through the {@code ffmpeg} command of the
 * Debian package {@code ffmpeg}. libavcodec's decoder is bit-exact with the ITU-T reference, so
 * decoding our bitstream with it must give our decoder's samples exactly; and a stream its
 * encoder made must decode here to the same samples and the same tone.
 */
class G722FfmpegIT {
    private static final int RATE = 16000;
    private static Path ffmpeg;

    @TempDir
    Path dir;

    @BeforeAll
    static void findFfmpeg() {
        ffmpeg = onPath("ffmpeg");
        if (ffmpeg == null) {
            fail("ffmpeg not found on PATH. This test checks our G.722 against libavcodec's; install the "
                    + "Debian package 'ffmpeg' (apt-get install ffmpeg) or run it through ./tandem test.");
        }
    }

    @Test
    void ffmpegDecodesOurBitstreamToExactlyOurSamples() throws Exception {
        short[] speechLike = testSignal(2 * RATE);
        byte[] ours = new byte[speechLike.length / 2];
        new G722Encoder().encode(speechLike, 0, speechLike.length, ours, 0);
        Path bitstream = dir.resolve("ours.g722");
        Files.write(bitstream, ours);

        Path decoded = dir.resolve("by-ffmpeg.raw");
        run("-f", "g722", "-i", bitstream.toString(), "-f", "s16le", "-acodec", "pcm_s16le", decoded.toString());
        short[] theirs = readPcm(decoded);

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
        Files.write(pcm, toBytes(speechLike));
        Path bitstream = dir.resolve("theirs.g722");
        run("-f", "s16le", "-ar", String.valueOf(RATE), "-ac", "1", "-i", pcm.toString(),
                "-acodec", "g722", "-f", "g722", bitstream.toString());
        byte[] theirs = Files.readAllBytes(bitstream);
        assertThat(theirs.length).isEqualTo(speechLike.length / 2);

        Path reference = dir.resolve("reference.raw");
        run("-f", "g722", "-i", bitstream.toString(), "-f", "s16le", "-acodec", "pcm_s16le", reference.toString());
        short[] expected = readPcm(reference);
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
        Files.write(pcm, toBytes(speechLike));
        Path bitstream = dir.resolve("theirs.g722");
        run("-f", "s16le", "-ar", String.valueOf(RATE), "-ac", "1", "-i", pcm.toString(),
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

    private void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ffmpeg.toString());
        command.add("-hide_banner");
        command.add("-nostdin");
        command.add("-loglevel");
        command.add("error");
        command.add("-y");
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "ffmpeg", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ffmpeg did not finish within 60 s: " + command);
        }
        if (p.exitValue() != 0) {
            fail("ffmpeg exited with " + p.exitValue() + " for " + command + ":\n" + Files.readString(log));
        }
    }

    private static short[] readPcm(Path file) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[bb.remaining() / 2];
        bb.asShortBuffer().get(s);
        return s;
    }

    private static byte[] toBytes(short[] s) {
        ByteBuffer bb = ByteBuffer.allocate(s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bb.asShortBuffer().put(s);
        return bb.array();
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
