package io.tandem.telephony.peers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the external programs the peers run, and says how to get one that is missing. */
final class Programs {
    private Programs() {
    }

    /**
     * The absolute path of {@code program} on the PATH.
     *
     * @throws IllegalStateException "sipp not found: ./tandem test installs sip-tester" — a missing
     *         peer is a broken test machine, never a reason to skip a test silently
     */
    static Path require(String program, String debianPackage) {
        return find(program).orElseThrow(() -> new IllegalStateException(
                program + " not found: ./tandem test installs " + debianPackage
                        + " (or: apt-get install " + debianPackage + ")"));
    }

    static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null || path.isEmpty()) {
            path = "/usr/local/bin:/usr/bin:/bin";
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** A data file a Debian package ships (e.g. sip-tester's pcaps); same loud failure when missing. */
    static Path requireFile(Path file, String debianPackage) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " not found: ./tandem test installs " + debianPackage);
        }
        return file;
    }
}
