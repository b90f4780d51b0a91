package io.tandem.telephony.codec;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * The {@code ffmpeg} command (Debian package {@code ffmpeg}) as an independent codec
 * implementation for interop tests. Missing ffmpeg fails the test with an install hint: the
 * interop checks must not quietly vanish from a machine that lacks the tool.
 */
final class Ffmpeg {
    private final Path executable;
    private final Path workDir;

    private Ffmpeg(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    static Ffmpeg require(Path workDir) {
        Path found = onPath("ffmpeg");
        if (found == null) {
            fail("ffmpeg not found on PATH. The codec interop tests check our codecs against libavcodec's; "
                    + "install the Debian package 'ffmpeg' (apt-get install ffmpeg) or run them through ./tandem test.");
        }
        return new Ffmpeg(found, workDir);
    }

    /** Runs ffmpeg with {@code args}; fails the test with ffmpeg's own output when it fails. */
    void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                executable.toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "ffmpeg", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ffmpeg did not finish within 60 s: " + command);
        }
        if (p.exitValue() != 0) {
            fail("ffmpeg exited with " + p.exitValue() + " for " + command + ":\n" + Files.readString(log));
        }
    }

    static short[] readPcm(Path file) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[bb.remaining() / 2];
        bb.asShortBuffer().get(s);
        return s;
    }

    static void writePcm(Path file, short[] s) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bb.asShortBuffer().put(s);
        Files.write(file, bb.array());
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
