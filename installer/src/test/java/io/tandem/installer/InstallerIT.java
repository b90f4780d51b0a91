package io.tandem.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.testing.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The built packages as an operator gets them: lintian, their control data and contents, the units as systemd
 * reads them, the node started from an unpacked package exactly as its unit starts it, and the maintainer scripts
 * through install, upgrade, remove and purge in a scratch root (with the system tools stubbed, see
 * {@link SystemToolStubs}). Runs after {@code package}, which built the packages.
 */
class InstallerIT {

    @ParameterizedTest
    @EnumSource(Package.class)
    void lintianFindsNoErrors(Package pkg) throws Exception {
        // --fail-on error: warnings (no manual page for the launcher, an uncompressed-enough changelog) are allowed.
        Shell.Result lintian = Shell.run(List.of("lintian", "--fail-on", "error", "--tag-display-limit", "0",
                pkg.deb().toString()));

        assertThat(lintian.output().lines().filter(l -> l.startsWith("E: ")).toList()).isEmpty();
        assertThat(lintian.exit()).as(lintian.output()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Package.class)
    void controlFieldsAreWhatThePackagePromises(Package pkg) throws Exception {
        String fields = Shell.run(List.of("dpkg-deb", "-f", pkg.deb().toString(), "Package", "Version",
                "Architecture", "Depends", "Recommends")).requireSuccess().output();

        assertThat(fields).contains("Package: " + pkg.name + "\n", "Version: " + Package.VERSION + "\n",
                "Architecture: all\n", "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser\n",
                "Recommends: redis-server\n");
        assertThat(Shell.run(List.of("dpkg-deb", "-I", pkg.deb().toString(), "conffiles")).requireSuccess()
                .output().lines().toList()).containsExactlyInAnyOrderElementsOf(pkg.conffiles());
        assertThat(Shell.run(List.of("dpkg-deb", "-I", pkg.deb().toString())).requireSuccess().output())
                .contains(" postinst ", " prerm ", " postrm ");
    }

    @ParameterizedTest
    @EnumSource(Package.class)
    void contentsAreWhereTheUnitAndTheOperatorLookForThem(Package pkg) throws Exception {
        List<String> listing = Shell.run(List.of("dpkg-deb", "-c", pkg.deb().toString())).requireSuccess()
                .output().lines().toList();

        assertThat(listing).anyMatch(entry("-rw-r--r-- root/root", "./usr/share/tandem/" + pkg.jar))
                .anyMatch(entry("-rwxr-xr-x root/root", "./usr/bin/" + pkg.name))
                .anyMatch(entry("-rw-r--r-- root/root", "./etc/tandem/" + pkg.config))
                .anyMatch(entry("-rw-r--r-- root/root", "./etc/default/" + pkg.name))
                .anyMatch(entry("-rw-r--r-- root/root", "./lib/systemd/system/" + pkg.unit()))
                .anyMatch(entry("-rw-r--r-- root/root", "./usr/share/doc/" + pkg.name + "/copyright"))
                .anyMatch(entry("-rw-r--r-- root/root", "./usr/share/doc/" + pkg.name + "/README.md"))
                // The secret is made at install, never shipped: every installation gets its own.
                .noneMatch(line -> line.contains("cluster-secret"));
    }

    private static Predicate<String> entry(String modeAndOwner, String path) {
        return line -> line.startsWith(modeAndOwner) && line.endsWith(" " + path);
    }

    /**
     * systemd-analyze verify against the unpacked package as root, so ExecStart's binary is the packaged one.
     * {@code --recursive-errors=no} skips only the checks of the units this one pulls in (sysinit.target,
     * network-online.target...), which exist on a booted system and not in a package's root.
     */
    @ParameterizedTest
    @EnumSource(Package.class)
    void systemdAcceptsTheUnit(Package pkg, @TempDir Path root) throws Exception {
        pkg.unpack(root);
        Path unit = root.resolve("lib/systemd/system/" + pkg.unit());

        Shell.Result verify = Shell.run(List.of("systemd-analyze", "verify", "--root=" + root,
                "--recursive-errors=no", unit.toString()));

        assertThat(verify.output()).isEmpty();
        assertThat(verify.exit()).isZero();
        Map<String, String> service = Package.unitSettings(unit);
        assertThat(service).containsEntry("ExecStart", "/usr/bin/" + pkg.name).containsEntry("User", "tandem")
                .containsEntry("Group", "tandem").containsEntry("Restart", "on-failure")
                .containsEntry("LimitNOFILE", "65536").containsEntry("NoNewPrivileges", "yes")
                .containsEntry("ProtectSystem", "strict").containsEntry("ProtectHome", "yes")
                .containsEntry("PrivateTmp", "yes").containsEntry("StateDirectory", pkg.stateName)
                .containsEntry("LogsDirectory", pkg.stateName).containsEntry("KillSignal", "SIGTERM")
                .containsEntry("SuccessExitStatus", "143").containsKey("TimeoutStopSec")
                .containsEntry("ReadWritePaths", "/var/lib/" + pkg.stateName + " /var/log/" + pkg.stateName)
                .containsEntry("WantedBy", "multi-user.target");
        if (pkg == Package.NODE) {
            assertThat(service).containsEntry("AmbientCapabilities", "CAP_NET_BIND_SERVICE");
        }
    }

    @Test
    void installedNodeStartsAsItsUnitStartsItAndBecomesReady(@TempDir Path root) throws Exception {
        try (RedisServer redis = RedisServer.started()) {
            Path unpacked = Package.NODE.unpack(root);
            int httpPort = RedisServer.freePort();
            writeTestConfig(unpacked, httpPort, redis.uri());
            Files.writeString(unpacked.resolve("etc/tandem/cluster-secret"), "installer-it-secret-0123456789");

            Process node = startAsTheUnit(Package.NODE, unpacked);
            try {
                List<String> output = Collections.synchronizedList(new ArrayList<>());
                String ready = awaitLine(node, output,
                        line -> line.contains("ReadinessState changed") && line.contains("ACCEPTING_TRAFFIC"));
                assertThat(ready).as(String.join("\n", output)).isNotNull();

                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"UP\"");
                // The id comes from the packaged path /etc/tandem/node.yml, as the unit's node reads it.
                assertThat(output).anyMatch(line -> line.contains("joined the cluster as node 'installer-it'"));

                // systemctl stop: SIGTERM, a graceful stop, and the exit status the unit counts as success.
                node.destroy();
                assertThat(node.waitFor(45, TimeUnit.SECONDS)).isTrue();
                assertThat(node.exitValue()).isEqualTo(143);
            } finally {
                node.destroyForcibly();
            }
        }
    }

    @Test
    void installedCallbackServiceStartsAsItsUnitStartsItAndBecomesReady(@TempDir Path root) throws Exception {
        try (RedisServer redis = RedisServer.started()) {
            startCallbackService(root, redis);
        }
    }

    private static void startCallbackService(Path root, RedisServer redis) throws Exception {
        Path unpacked = Package.CALLBACK.unpack(root);
        int httpPort = RedisServer.freePort();
        // The secret the node's postinst makes, read by /usr/bin/tandem-callback as by /usr/bin/tandem-node.
        Files.writeString(Files.createDirectories(unpacked.resolve("etc/tandem")).resolve("cluster-secret"),
                "installer-it-cluster-secret");
        Path config = unpacked.resolve("etc/tandem/callback.yml");
        Files.writeString(config, "server.port: " + httpPort + "\n"
                + "tandem.callback.redis-uri: " + redis.uri() + "\n"
                + "logging.level.org.springframework.boot.availability: DEBUG\n" + Files.readString(config));

        Process service = startAsTheUnit(Package.CALLBACK, unpacked);
        try {
            List<String> output = Collections.synchronizedList(new ArrayList<>());
            String ready = awaitLine(service, output,
                    line -> line.contains("ReadinessState changed") && line.contains("ACCEPTING_TRAFFIC"));
            assertThat(ready).as(String.join("\n", output)).isNotNull();

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");

            service.destroy();
            assertThat(service.waitFor(45, TimeUnit.SECONDS)).isTrue();
            assertThat(service.exitValue()).isEqualTo(143);
        } finally {
            service.destroyForcibly();
        }
    }

    @Test
    void nodeWithoutClusterSecretAndDemoOffRefusesToStartSayingWhy(@TempDir Path root) throws Exception {
        try (RedisServer redis = RedisServer.started()) {
            Path unpacked = Package.NODE.unpack(root);
            writeTestConfig(unpacked, RedisServer.freePort(), redis.uri());

            Process node = startAsTheUnit(Package.NODE, unpacked);
            try {
                String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(node.waitFor(1, TimeUnit.MINUTES)).isTrue();
                assertThat(node.exitValue()).isEqualTo(1);
                assertThat(output).contains("APPLICATION FAILED TO START", "tandem.node.cluster-secret: required");
            } finally {
                node.destroyForcibly();
            }
        }
    }

    /** The packaged node.yml with the loopback addresses and free ports of this test put in front. */
    private static void writeTestConfig(Path root, int httpPort, String redisUri) throws IOException {
        Path config = root.resolve("etc/tandem/node.yml");
        String packaged = Files.readString(config).replace("tandem.redis.uri: redis://127.0.0.1:6379\n", "");
        Files.writeString(config, String.join("\n",
                "server.port: " + httpPort,
                "tandem.node.id: installer-it",
                "tandem.redis.uri: " + redisUri,
                "tandem.sip.bind-address: 127.0.0.1",
                "tandem.sip.udp-port: 0",
                "tandem.sip.tcp-port: 0",
                // Boot says at debug when the node starts taking traffic: the test waits for that line.
                "logging.level.org.springframework.boot.availability: DEBUG",
                packaged));
    }

    /**
     * Starts the unpacked launcher as the package's unit would: its ExecStart, Environment= and WorkingDirectory=
     * (the StateDirectory systemd creates), with the packaged /etc paths moved under the scratch root through the
     * launcher's own TANDEM_* variables. The test's user stands in for User=tandem; the sandboxing is systemd's and
     * is checked by systemd-analyze above.
     */
    private static Process startAsTheUnit(Package pkg, Path root) throws IOException {
        Map<String, String> unit = Package.unitSettings(root.resolve("lib/systemd/system/" + pkg.unit()));
        Path workDir = Files.createDirectories(root.resolve(unit.get("WorkingDirectory").substring(1)));
        List<String> command = new ArrayList<>(List.of(unit.get("ExecStart").split(" ")));
        command.set(0, root.resolve(command.get(0).substring(1)).toString());

        Map<String, String> env = new HashMap<>();
        for (String assignment : unit.getOrDefault("Environment", "").split(" ")) {
            int eq = assignment.indexOf('=');
            if (eq > 0) {
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            }
        }
        env.put("TANDEM_DEFAULTS", root.resolve("etc/default/" + pkg.name).toString());
        env.put("TANDEM_CONFIG", root.resolve("etc/tandem/" + pkg.config).toString());
        env.put("TANDEM_JAR", root.resolve("usr/share/tandem/" + pkg.jar).toString());
        env.put("TANDEM_SECRET_FILE", root.resolve("etc/tandem/cluster-secret").toString()); // read by both scripts

        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        // systemd starts a unit with a clean environment: nothing of this JVM's that could configure the node.
        builder.environment().keySet().removeIf(name -> name.startsWith("TANDEM_") || name.startsWith("SPRING_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Reads the process's output on its own thread until a line matches (returned) or the output ends (null). */
    private static String awaitLine(Process process, List<String> output, Predicate<String> wanted) throws Exception {
        CompletableFuture<String> match = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                    if (wanted.test(line)) {
                        match.complete(line);
                    }
                }
            } catch (IOException e) {
                output.add("(output unreadable: " + e + ")");
            }
            match.complete(null);
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        return match.get(3, TimeUnit.MINUTES);
    }
}
