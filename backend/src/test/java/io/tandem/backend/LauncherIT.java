package io.tandem.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.testing.RedisServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ./tandem up} as a user runs it: flags checked, node started on free ports, ready message, clean stop. */
class LauncherIT {

    private static final File ROOT = new File("..").getAbsoluteFile();

    private static Process launch(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", new File(ROOT, "tandem").getPath()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(ROOT).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws Exception {
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return text;
    }

    @Test
    void badFlagsAreNamedAndExitWith2() throws Exception {
        Process unknown = launch("up", "--colour", "red");
        assertThat(output(unknown)).contains("unknown option '--colour'");
        assertThat(unknown.exitValue()).isEqualTo(2);

        Process port = launch("up", "--sip-port", "70000");
        assertThat(output(port)).contains("--sip-port: '70000' is not a port number");
        assertThat(port.exitValue()).isEqualTo(2);

        Process missing = launch("node", "--name", "n2");
        assertThat(output(missing)).contains("--redis is required");
        assertThat(missing.exitValue()).isEqualTo(2);

        Process help = launch("node", "--help");
        assertThat(output(help)).contains("Usage: ./tandem node --name ID --redis URI");
        assertThat(help.exitValue()).isZero();
    }

    @Test
    void upStartsADemoNodeAndStopsItCleanly() throws Exception {
        int http = RedisServer.freePort();
        int sip = RedisServer.freePort();
        int redisPort = RedisServer.freePort();
        Process up = launch("up", "--http-port", Integer.toString(http), "--sip-port", Integer.toString(sip),
                "--redis-port", Integer.toString(redisPort), "--demo-password", "launcher-it", "--name", "launcher-it");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(up.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the launcher exited
            }
        }, "launcher-output");
        reader.setDaemon(true);
        reader.start();
        try {
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("Log ")) {
                String line = lines.poll(240, TimeUnit.SECONDS);
                assertThat(line).as("launcher output so far:%n%s", seen).isNotNull();
                seen.append(line).append('\n');
            }
            assertThat(seen.toString()).contains("Tandem node 'launcher-it' is ready.",
                    "HTTP  http://127.0.0.1:" + http, "Login admin / launcher-it",
                    "SIP   sip:", ":" + sip, "--redis redis://127.0.0.1:" + redisPort);

            Api api = new Api(http);
            assertThat(api.get("/api/v1/tenants/demo/users/1020", "admin", "launcher-it").statusCode()).isEqualTo(200);
            assertThat(api.get("/api/v1/cluster/nodes", "admin", "launcher-it").body()).contains("\"launcher-it\"");

            List<ProcessHandle> node = up.descendants().toList();
            up.destroy(); // SIGTERM, as a service manager stops it
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle child : node) {
                assertThat(child.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
            }
            String log = java.nio.file.Files.readString(ROOT.toPath().resolve(".tandem/logs/launcher-it.log"));
            assertThat(log).contains("node 'launcher-it' left the cluster", "stopped embedded Redis");
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }
}
