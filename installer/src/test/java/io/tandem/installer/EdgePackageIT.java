package io.tandem.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edge's package as an operator gets it: lintian, control fields, contents, both units as systemd reads them,
 * and its Kamailio configuration filled, checked and run exactly as tandem-edge.service does (its ExecStartPre and
 * ExecStart with edge.conf's values), then tandem-edge-nodes writing the node list and the running Kamailio
 * reloading it. Runs after {@code package}; Kamailio comes from this machine, as the package's Depends bring it.
 */
class EdgePackageIT {

    static final String NAME = "tandem-edge";
    static final Path DEB = Package.DEB_DIR.resolve(NAME + "_" + Package.VERSION + "_all.deb");
    static final List<String> CONFFILES = List.of("/etc/tandem/edge/kamailio.cfg", "/etc/tandem/edge/tls.cfg",
            "/etc/tandem/edge/edge.conf", "/etc/tandem/edge/rtpengine.conf");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MEDIA_PORTS = 16;
    /** ${NAME} in a unit's command line: one word, the variable's value, empty when unset (systemd.service(5)). */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)}");

    @TempDir
    Path scratch;

    @Test
    void lintianFindsNoErrors() throws Exception {
        Shell.Result lintian = Shell.run(List.of("lintian", "--fail-on", "error", "--tag-display-limit", "0",
                DEB.toString()));

        assertThat(lintian.output().lines().filter(l -> l.startsWith("E: ")).toList()).isEmpty();
        assertThat(lintian.exit()).as(lintian.output()).isZero();
    }

    @Test
    void controlFieldsAndContentsAreWhatThePackagePromises() throws Exception {
        String fields = Shell.run(List.of("dpkg-deb", "-f", DEB.toString(), "Package", "Version", "Architecture",
                "Depends")).requireSuccess().output();
        List<String> listing = Shell.run(List.of("dpkg-deb", "-c", DEB.toString())).requireSuccess().output()
                .lines().toList();

        assertThat(fields).contains("Package: " + NAME + "\n", "Version: " + Package.VERSION + "\n",
                "Architecture: all\n", "Depends: kamailio (>= 5.6), kamailio-tls-modules, kamailio-websocket-modules,"
                        + " rtpengine-daemon, adduser\n");
        assertThat(Shell.run(List.of("dpkg-deb", "-I", DEB.toString(), "conffiles")).requireSuccess().output()
                .lines().toList()).containsExactlyInAnyOrderElementsOf(CONFFILES);
        assertThat(listing).anyMatch(entry("-rwxr-xr-x root/root", "./usr/bin/tandem-edge-nodes"))
                .anyMatch(entry("-rwxr-xr-x root/root", "./usr/lib/tandem-edge/fill-config.sh"))
                .anyMatch(entry("-rwxr-xr-x root/root", "./usr/lib/tandem-edge/check-ports.sh"))
                .anyMatch(entry("-rw-r--r-- root/root", "./lib/systemd/system/tandem-edge.service"))
                .anyMatch(entry("-rw-r--r-- root/root", "./lib/systemd/system/tandem-edge-rtpengine.service"))
                .anyMatch(entry("-rw-r--r-- root/root", "./usr/share/doc/" + NAME + "/copyright"))
                // The node list is the operator's: made by the postinst, never shipped (an upgrade would replace it).
                .noneMatch(line -> line.contains("dispatcher.list"));
        for (String conffile : CONFFILES) {
            assertThat(listing).anyMatch(entry("-rw-r--r-- root/root", "." + conffile));
        }
        // The shipped template is the one ./tandem edge fills: one copy.
        Path root = unpack();
        assertThat(root.resolve("etc/tandem/edge/kamailio.cfg")).hasSameTextualContentAs(edgeDir().resolve(
                "kamailio.cfg"));
    }

    /**
     * systemd-analyze verify on the unpacked package, with the daemons the package depends on copied in from this
     * machine (as apt installs them next to it; a link would point back into the root); {@code
     * --recursive-errors=no} as for the other packages' units.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tandem-edge.service", "tandem-edge-rtpengine.service"})
    void systemdAcceptsTheUnit(String unitName) throws Exception {
        Path root = unpack();
        for (String daemon : List.of("usr/sbin/kamailio", "usr/bin/rtpengine")) {
            Files.createDirectories(root.resolve(daemon).getParent());
            Files.copy(Path.of("/" + daemon), root.resolve(daemon), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path unit = root.resolve("lib/systemd/system/" + unitName);

        Shell.Result verify = Shell.run(List.of("systemd-analyze", "verify", "--root=" + root,
                "--recursive-errors=no", unit.toString()));

        assertThat(verify.output()).isEmpty();
        assertThat(verify.exit()).isZero();
        assertThat(Package.unitSettings(unit)).containsEntry("User", "tandem-edge")
                .containsEntry("Group", "tandem-edge").containsEntry("EnvironmentFile", "/etc/tandem/edge/edge.conf")
                .containsEntry("Restart", "on-failure").containsEntry("LimitNOFILE", "65536")
                .containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict")
                .containsEntry("ProtectHome", "yes").containsEntry("PrivateTmp", "yes")
                .containsEntry("PrivateDevices", "yes").containsKey("TimeoutStopSec")
                .containsEntry("WantedBy", "multi-user.target");
    }

    /**
     * The edge as tandem-edge.service runs it: edge.conf's values (ports moved to free ones), the ExecStartPre
     * lines (fill the template, kamailio -c) and ExecStart, with the packaged paths under the scratch root. Then
     * the operator sets two nodes with tandem-edge-nodes: the list file is Kamailio's format and the running
     * Kamailio holds both nodes after the reload. The test's user stands in for User=tandem-edge.
     */
    @Test
    void tandemEdgeNodesSetsTheNodesOfARunningEdge() throws Exception {
        Path root = unpack();
        Path run = Files.createDirectories(scratch.resolve("run/tandem-edge"));
        Path list = root.resolve("etc/tandem/edge/dispatcher.list");
        Files.writeString(list, ""); // as the postinst leaves it
        int sipPort = FreePorts.udpAndTcp();
        int ngPort = FreePorts.udpAndTcp();
        Map<String, String> settings = environmentFile(root.resolve("etc/tandem/edge/edge.conf"));
        assertThat(settings).containsEntry("EDGE_ADDRESS", "127.0.0.1").containsEntry("EDGE_TLS_PORT", "");
        settings.put("EDGE_SIP_PORT", Integer.toString(sipPort));
        settings.put("EDGE_NG_PORT", Integer.toString(ngPort));
        Map<String, String> unit = Package.unitSettings(root.resolve("lib/systemd/system/tandem-edge.service"));
        Map<String, String> paths = Map.of("/etc/tandem/edge", root.resolve("etc/tandem/edge").toString(),
                "/run/tandem-edge", run.toString(), "/usr/lib/tandem-edge", root.resolve("usr/lib/tandem-edge")
                        .toString(), "/etc/tandem/node.yml", root.resolve("etc/tandem/node.yml").toString());

        // Three ExecStartPre= lines, joined by unitSettings: split where the second and third commands start. The
        // port check reads the shipped edge.conf (no node on this root): its defaults do not overlap.
        String pre = unit.get("ExecStartPre");
        int fill = pre.indexOf("/usr/lib/tandem-edge/fill-config.sh");
        int check = pre.indexOf("/usr/sbin/kamailio -c");
        assertThat(pre.substring(0, fill)).contains("/usr/lib/tandem-edge/check-ports.sh");
        Shell.run(command(pre.substring(0, fill), settings, paths), Map.of(), null).requireSuccess();
        Shell.run(command(pre.substring(fill, check), settings, paths), Map.of(), null).requireSuccess();
        assertThat(Files.readString(run.resolve("kamailio.cfg"))).doesNotContain("@SIP_PORT@")
                .contains("listen=udp:127.0.0.1:" + sipPort, "\"list_file\", \"" + list + "\"",
                        "\"udp:127.0.0.1:" + ngPort + "\"");
        Shell.run(command(pre.substring(check), settings, paths), Map.of(), null).requireSuccess();

        Process kamailio = new ProcessBuilder(command(unit.get("ExecStart"), settings, paths))
                .redirectErrorStream(true).redirectOutput(scratch.resolve("kamailio.log").toFile()).start();
        Path control = run.resolve("kamailio_ctl");
        try {
            Await.until("kamailio's control socket", WAIT, () -> Files.exists(control) || !kamailio.isAlive(),
                    () -> log("kamailio.log"));
            assertThat(kamailio.isAlive()).as(log("kamailio.log")).isTrue();

            Shell.Result nodes = Shell.run(List.of(root.resolve("usr/bin/tandem-edge-nodes").toString(), "--list",
                    list.toString(), "--control", control.toString(), "sip:127.0.0.1:5060,sip:10.0.0.12:5062"));

            assertThat(nodes.exit()).as(nodes.output()).isZero();
            assertThat(nodes.output()).contains("2 node(s)", "reloaded");
            assertThat(Files.readString(list)).isEqualTo("1 sip:127.0.0.1:5060\n1 sip:10.0.0.12:5062\n");
            String loaded = Shell.run(List.of("kamcmd", "-s", "unix:" + control, "dispatcher.list"))
                    .requireSuccess().output();
            assertThat(loaded).contains("URI: sip:127.0.0.1:5060", "URI: sip:10.0.0.12:5062");
        } finally {
            kamailio.destroy();
            kamailio.onExit().get();
            FreePorts.release(sipPort, 1);
            FreePorts.release(ngPort, 1);
        }
    }

    /** rtpengine as tandem-edge-rtpengine.service runs it: the packaged rtpengine.conf loads and it starts. */
    @Test
    void rtpengineStartsAsTheUnitRunsIt() throws Exception {
        Path root = unpack();
        int ngPort = FreePorts.udpAndTcp();
        int media = FreePorts.alignedBlock(MEDIA_PORTS);
        Map<String, String> settings = environmentFile(root.resolve("etc/tandem/edge/edge.conf"));
        settings.put("EDGE_NG_PORT", Integer.toString(ngPort));
        settings.put("EDGE_RTP_PORT_MIN", Integer.toString(media));
        settings.put("EDGE_RTP_PORT_MAX", Integer.toString(media + MEDIA_PORTS - 1));
        Map<String, String> unit = Package.unitSettings(root.resolve(
                "lib/systemd/system/tandem-edge-rtpengine.service"));
        Path log = scratch.resolve("rtpengine.log");

        Process rtpengine = new ProcessBuilder(command(unit.get("ExecStart"), settings,
                Map.of("/etc/tandem/edge", root.resolve("etc/tandem/edge").toString())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until("rtpengine's start", WAIT, () -> log("rtpengine.log").contains("Startup complete")
                    || !rtpengine.isAlive(), () -> log("rtpengine.log"));
            assertThat(rtpengine.isAlive()).as(log("rtpengine.log")).isTrue();
            assertThat(log("rtpengine.log")).doesNotContain("ERR", "CRIT");
        } finally {
            rtpengine.destroy();
            rtpengine.onExit().get();
            FreePorts.release(ngPort, 1);
            FreePorts.release(media, MEDIA_PORTS);
        }
    }

    @Test
    void tandemEdgeNodesRefusesWhatIsNotANodeAndKeepsTheList() throws Exception {
        Path root = unpack();
        Path list = root.resolve("etc/tandem/edge/dispatcher.list");
        Files.writeString(list, "1 sip:127.0.0.1:5060\n");

        Shell.Result bad = Shell.run(List.of(root.resolve("usr/bin/tandem-edge-nodes").toString(), "--list",
                list.toString(), "sip:127.0.0.1:5060,http://10.0.0.12"));

        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.output()).contains("'http://10.0.0.12' is not sip:HOST:PORT");
        assertThat(Files.readString(list)).isEqualTo("1 sip:127.0.0.1:5060\n");
        // Without a running edge (no control socket) the list is written for the next start.
        Shell.Result stopped = Shell.run(List.of(root.resolve("usr/bin/tandem-edge-nodes").toString(), "--list",
                list.toString(), "--control", scratch.resolve("no-socket").toString(), "sip:10.0.0.11:5060"));
        assertThat(stopped.exit()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("read when the edge starts");
        assertThat(Files.readString(list)).isEqualTo("1 sip:10.0.0.11:5060\n");
    }

    private Path unpack() throws IOException, InterruptedException {
        Path root = scratch.resolve("root");
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            Shell.run(List.of("dpkg-deb", "-x", DEB.toString(), root.toString())).requireSuccess();
        }
        return root;
    }

    /** A unit's command line as systemd runs it: ${NAME} replaced by the value (one word, even when empty). */
    private static List<String> command(String line, Map<String, String> settings, Map<String, String> paths) {
        List<String> words = new ArrayList<>();
        for (String word : line.strip().split("\\s+")) {
            Matcher variable = VARIABLE.matcher(word);
            String expanded = variable.replaceAll(m -> Matcher.quoteReplacement(settings.getOrDefault(m.group(1),
                    "")));
            for (Map.Entry<String, String> path : paths.entrySet()) {
                expanded = expanded.replace(path.getKey(), path.getValue());
            }
            words.add(expanded);
        }
        return words;
    }

    /** NAME=value lines of a systemd EnvironmentFile, comments and blank lines skipped. */
    private static Map<String, String> environmentFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            values.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return values;
    }

    /** The top of the checkout's edge/ directory (the module runs in installer/). */
    private static Path edgeDir() {
        return Path.of("").toAbsolutePath().getParent().resolve("edge");
    }

    private String log(String name) {
        try {
            return Files.readString(scratch.resolve(name));
        } catch (IOException e) {
            return "(cannot read " + name + ": " + e.getMessage() + ")";
        }
    }

    private static Predicate<String> entry(String modeAndOwner, String path) {
        return line -> line.startsWith(modeAndOwner) && line.endsWith(" " + path);
    }
}
