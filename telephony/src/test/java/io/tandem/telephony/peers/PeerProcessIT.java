package io.tandem.telephony.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.testing.Await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guarantee that a test never leaves a peer process behind, even when it forgets close(). */
class PeerProcessIT {

    @Test
    void shutdownHookKillsPeersAJvmForgotToClose() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PeerReaperMain.class.getName())
                .redirectErrorStream(true)
                .start();
        String pidsLine = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("pids ")) {
                    pidsLine = line;
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM exits").isTrue();
        assertThat(pidsLine).as("child output:\n%s", output).isNotNull();
        String[] f = pidsLine.split(" ");
        for (int i = 1; i < f.length; i++) {
            long pid = Long.parseLong(f[i]);
            Await.until("peer process " + pid + " to be gone", Duration.ofSeconds(30),
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
    }
}
