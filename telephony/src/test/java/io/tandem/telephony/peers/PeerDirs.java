package io.tandem.telephony.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Work dirs for peer processes: under {@code target/peers/} when the tests run from a Maven module
 * (next to the failsafe reports, so a failed run's logs, traces and recordings are easy to find and
 * {@code mvn clean} removes them), otherwise under the system temp dir.
 */
final class PeerDirs {
    private PeerDirs() {
    }

    static Path create(String prefix) {
        try {
            String configured = System.getProperty("tandem.peers.dir");
            Path base;
            if (configured != null) {
                base = Path.of(configured);
            } else if (Files.isDirectory(Path.of("target"))) {
                base = Path.of("target", "peers");
            } else {
                base = Path.of(System.getProperty("java.io.tmpdir"));
            }
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work dir for " + prefix, e);
        }
    }
}
