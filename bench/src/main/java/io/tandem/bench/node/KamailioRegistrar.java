package io.tandem.bench.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kamailio 5.6 (the Debian package) as the reference registrar, at its fastest for the job: {@code node/kamailio.cfg}
 * with usrloc in memory and the bench users' HA1 in an in-memory htable, on a free loopback port.
 */
final class KamailioRegistrar implements RegistrarUnderTest {

    /** Kamailio forks this many SIP workers on the UDP socket (two per core here; its default is 8). */
    static final int CHILDREN = 4;
    private static final String MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/";

    private final ChildProcess process;
    private final int port;
    private final String version;

    private KamailioRegistrar(ChildProcess process, int port, String version) {
        this.process = process;
        this.port = port;
        this.version = version;
    }

    static KamailioRegistrar start(Path dir, BenchUsers users) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = LoopbackPorts.udpAndTcp();
        // SIPp's From domain is the address it sends to; Kamailio challenges with realm = From domain.
        Path db = users.writeKamailioDb(dir, "127.0.0.1");
        String config;
        try (InputStream in = KamailioRegistrar.class.getResourceAsStream("/node/kamailio.cfg")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] secret = new byte[16];
        ThreadLocalRandom.current().nextBytes(secret);
        config = config.replace("#CHILDREN#", Integer.toString(CHILDREN)).replace("#PORT#", Integer.toString(port))
                .replace("#MODULES#", MODULES).replace("#SECRET#", HexFormat.of().formatHex(secret))
                .replace("#DBDIR#", db.toAbsolutePath().toString());
        Path cfg = Files.writeString(dir.resolve("kamailio.cfg"), config);
        Path run = Files.createDirectories(dir.resolve("run"));
        ChildProcess process = ChildProcess.start("kamailio", dir, List.of("kamailio", "-f", cfg.toString(), "-DD",
                "-E", "-Y", run.toString(), "-m", "1024", "-M", "32"), Map.of());
        try {
            SipProbe.awaitAnswer(port, process, 60);
        } catch (IOException | InterruptedException e) {
            process.close();
            throw e;
        }
        return new KamailioRegistrar(process, port, version());
    }

    private static String version() throws IOException, InterruptedException {
        Process v = new ProcessBuilder("kamailio", "-v").redirectErrorStream(true).start();
        String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        v.waitFor();
        String first = out.lines().findFirst().orElse("");
        return first.replaceFirst("^version:\\s*", "").replaceFirst("\\s*\\(.*$", "");
    }

    @Override
    public String name() {
        return "Kamailio " + version.replaceFirst("^kamailio\\s*", "");
    }

    @Override
    public int sipPort() {
        return port;
    }

    @Override
    public long cpuTicks() {
        return process.cpuTicks();
    }

    @Override
    public String setup() {
        return "`kamailio.cfg` in bench/src/main/resources/node: " + CHILDREN + " UDP workers, usrloc `db_mode 0` "
                + "(in memory), HA1 from an in-memory `htable` (`pv_auth_check`), qop=auth, stateless replies, no nonce-count check "
                + "(Kamailio's defaults)";
    }

    @Override
    public void close() {
        process.close();
    }
}
