package io.tandem.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintainer scripts of the packages, run the way dpkg runs them (same arguments, same order) with DPKG_ROOT
 * pointing at a scratch root the package was unpacked into. adduser, deluser, getent, chown, deb-systemd-helper,
 * deb-systemd-invoke and systemctl are stubs that record their calls ({@link SystemToolStubs}): the test must not
 * create a user on this machine or talk to an init system. {@code run/systemd/system} in the scratch root stands for
 * a booted systemd, as that directory does on a real one. What dpkg itself does between the scripts (unpacking,
 * removing files, keeping an edited conffile) is done by the test where a step needs it.
 */
class MaintainerScriptsIT {

    private static final String PREVIOUS = "0.0.9";

    @TempDir
    Path scratch;

    private Path root;
    private Path control;
    private SystemToolStubs tools;

    @BeforeEach
    void stubs() throws IOException {
        tools = new SystemToolStubs(scratch.resolve("tools"));
    }

    private void unpack(Package pkg, boolean systemdRunning) throws Exception {
        root = pkg.unpack(scratch.resolve("root"));
        control = pkg.control(scratch.resolve("control-" + pkg.name));
        if (systemdRunning) {
            Files.createDirectories(root.resolve("run/systemd/system"));
        }
    }

    private void script(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(control.resolve(name).toString()));
        command.addAll(List.of(args));
        Shell.run(command, tools.environment(root), null).requireSuccess();
    }

    @Test
    void nodeInstallUpgradeRemovePurge() throws Exception {
        unpack(Package.NODE, true);
        Path secret = root.resolve("etc/tandem/cluster-secret");
        Path config = root.resolve("etc/tandem/node.yml");

        // Fresh install: the user, a secret only the node can read, the unit enabled and started.
        script("postinst", "configure");
        assertThat(tools.calls()).containsSubsequence(
                "adduser --system --group --home /var/lib/tandem --no-create-home --quiet tandem",
                "chown tandem:tandem " + secret + ".dpkg-new",
                "deb-systemd-helper enable tandem-node.service",
                "deb-systemd-invoke start tandem-node.service");
        assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String generated = Files.readString(secret);
        assertThat(generated).matches("[A-Za-z0-9]{32,}");
        assertThat(root.resolve("etc/tandem/cluster-secret.dpkg-new")).doesNotExist();

        // Upgrade: the operator edited node.yml and set the cluster's own secret; both survive, the node restarts.
        Files.writeString(config, "tandem.node.id: edited-by-operator\n", StandardOpenOption.APPEND);
        String edited = Files.readString(config);
        Files.writeString(secret, "the-clusters-shared-secret-0123");
        tools.clear();
        script("prerm", "upgrade", Package.VERSION);
        script("postrm", "upgrade", Package.VERSION);
        script("postinst", "configure", PREVIOUS);
        assertThat(tools.calls()).doesNotContain("deb-systemd-invoke stop tandem-node.service")
                .noneMatch(call -> call.startsWith("adduser"))
                .contains("deb-systemd-invoke restart tandem-node.service");
        assertThat(Files.readString(config)).isEqualTo(edited);
        assertThat(Files.readString(secret)).isEqualTo("the-clusters-shared-secret-0123");

        // Remove: stopped, configuration and secret kept for a reinstall, the user kept.
        Files.createDirectories(root.resolve("var/lib/tandem"));
        Files.createDirectories(root.resolve("var/log/tandem"));
        tools.clear();
        script("prerm", "remove");
        Files.delete(root.resolve("usr/share/tandem/tandem-node.jar")); // dpkg removes the package's files
        script("postrm", "remove");
        assertThat(tools.calls()).containsSubsequence("deb-systemd-invoke stop tandem-node.service",
                "deb-systemd-helper mask tandem-node.service").noneMatch(call -> call.startsWith("deluser"));
        assertThat(secret).exists();
        assertThat(config).exists();
        assertThat(tools.userExists()).isTrue();

        // Purge: dpkg removes the conffiles, the script everything else the package made, and the user.
        Files.delete(config);
        Files.delete(root.resolve("etc/default/tandem-node"));
        tools.clear();
        script("postrm", "purge");
        assertThat(tools.calls()).contains("deb-systemd-helper purge tandem-node.service",
                "deluser --system --quiet tandem");
        assertThat(secret).doesNotExist();
        assertThat(root.resolve("etc/tandem")).doesNotExist();
        assertThat(root.resolve("var/lib/tandem")).doesNotExist();
        assertThat(root.resolve("var/log/tandem")).doesNotExist();
        assertThat(tools.userExists()).isFalse();
    }

    @Test
    void nodeInAChrootWithoutSystemdIsConfiguredButNotStarted() throws Exception {
        unpack(Package.NODE, false);

        script("postinst", "configure");

        assertThat(tools.calls()).contains("deb-systemd-helper enable tandem-node.service")
                .noneMatch(call -> call.startsWith("deb-systemd-invoke") || call.startsWith("systemctl"));
        assertThat(root.resolve("etc/tandem/cluster-secret")).exists();
    }

    @Test
    void anExistingSecretIsNeverReplaced() throws Exception {
        unpack(Package.NODE, true);
        Files.writeString(root.resolve("etc/tandem/cluster-secret"), "copied-from-the-first-node-0123");

        script("postinst", "configure");

        assertThat(Files.readString(root.resolve("etc/tandem/cluster-secret")))
                .isEqualTo("copied-from-the-first-node-0123");
        assertThat(tools.calls()).noneMatch(call -> call.startsWith("chown"));
    }

    @Test
    void callbackPurgeKeepsTheUserWhileTheNodeIsInstalled() throws Exception {
        unpack(Package.CALLBACK, true);
        Package.NODE.unpack(root); // the node package is installed next to it

        script("postinst", "configure");
        assertThat(tools.calls()).containsSubsequence(
                "adduser --system --group --home /var/lib/tandem --no-create-home --quiet tandem",
                "deb-systemd-helper enable tandem-callback.service",
                "deb-systemd-invoke start tandem-callback.service");
        Files.createDirectories(root.resolve("var/lib/tandem-callback"));

        tools.clear();
        script("prerm", "remove");
        script("postrm", "remove");
        script("postrm", "purge");

        assertThat(tools.calls()).containsSubsequence("deb-systemd-invoke stop tandem-callback.service",
                "deb-systemd-helper mask tandem-callback.service", "deb-systemd-helper purge tandem-callback.service")
                .noneMatch(call -> call.startsWith("deluser"));
        assertThat(root.resolve("var/lib/tandem-callback")).doesNotExist();
        // The node's files are the node package's business.
        assertThat(root.resolve("etc/tandem/node.yml")).exists();
        assertThat(tools.userExists()).isTrue();
    }

    @Test
    void edgeInstallUpgradeRemovePurge() throws Exception {
        root = scratch.resolve("root");
        Shell.run(List.of("dpkg-deb", "-x", EdgePackageIT.DEB.toString(), root.toString())).requireSuccess();
        control = scratch.resolve("control-edge");
        Shell.run(List.of("dpkg-deb", "-e", EdgePackageIT.DEB.toString(), control.toString())).requireSuccess();
        Files.createDirectories(root.resolve("run/systemd/system"));
        Path list = root.resolve("etc/tandem/edge/dispatcher.list");
        Path settings = root.resolve("etc/tandem/edge/edge.conf");

        // Fresh install: the user both daemons run as, an empty node list, both units enabled and started.
        script("postinst", "configure");
        assertThat(tools.calls()).containsSubsequence(
                "adduser --system --group --home /nonexistent --no-create-home --quiet tandem-edge",
                "deb-systemd-helper enable tandem-edge-rtpengine.service",
                "deb-systemd-helper enable tandem-edge.service",
                "deb-systemd-invoke start tandem-edge-rtpengine.service tandem-edge.service");
        assertThat(list).exists().isEmptyFile();

        // Upgrade: the operator set the address and two nodes; both survive, the edge restarts.
        Files.writeString(settings, Files.readString(settings).replace("EDGE_ADDRESS=127.0.0.1",
                "EDGE_ADDRESS=203.0.113.7"));
        String edited = Files.readString(settings);
        Files.writeString(list, "1 sip:10.0.0.11:5060\n1 sip:10.0.0.12:5060\n");
        tools.clear();
        script("prerm", "upgrade", Package.VERSION);
        script("postrm", "upgrade", Package.VERSION);
        script("postinst", "configure", PREVIOUS);
        assertThat(tools.calls()).noneMatch(call -> call.startsWith("adduser") || call.contains(" stop "))
                .contains("deb-systemd-invoke restart tandem-edge-rtpengine.service tandem-edge.service");
        assertThat(Files.readString(settings)).isEqualTo(edited).contains("EDGE_ADDRESS=203.0.113.7");
        assertThat(Files.readString(list)).isEqualTo("1 sip:10.0.0.11:5060\n1 sip:10.0.0.12:5060\n");

        // Remove: stopped, configuration and nodes kept, the user kept.
        tools.clear();
        script("prerm", "remove");
        script("postrm", "remove");
        assertThat(tools.calls()).containsSubsequence(
                "deb-systemd-invoke stop tandem-edge.service tandem-edge-rtpengine.service",
                "deb-systemd-helper mask tandem-edge.service", "deb-systemd-helper mask tandem-edge-rtpengine.service")
                .noneMatch(call -> call.startsWith("deluser"));
        assertThat(settings).exists();
        assertThat(list).exists();
        assertThat(tools.userExists("tandem-edge")).isTrue();

        // Purge: dpkg removes the conffiles, the script the node list and the user.
        for (String conffile : EdgePackageIT.CONFFILES) {
            Files.delete(root.resolve(conffile.substring(1)));
        }
        tools.clear();
        script("postrm", "purge");
        assertThat(tools.calls()).contains("deb-systemd-helper purge tandem-edge.service",
                "deb-systemd-helper purge tandem-edge-rtpengine.service", "deluser --system --quiet tandem-edge");
        assertThat(root.resolve("etc/tandem")).doesNotExist();
        assertThat(tools.userExists("tandem-edge")).isFalse();
    }

    /**
     * edge.conf's ports overlapping each other, or a node's on the same host (its node.yml, defaults where a key is
     * left commented): the postinst refuses with both settings and the shared ports named, exit 2, before it makes
     * the user or the node list or enables anything; once apart, the same configure goes through.
     */
    @Test
    void edgeWithOverlappingPortsIsRefusedBeforeAnythingIsMade() throws Exception {
        root = scratch.resolve("root");
        Shell.run(List.of("dpkg-deb", "-x", EdgePackageIT.DEB.toString(), root.toString())).requireSuccess();
        control = scratch.resolve("control-edge");
        Shell.run(List.of("dpkg-deb", "-e", EdgePackageIT.DEB.toString(), control.toString())).requireSuccess();
        Files.createDirectories(root.resolve("run/systemd/system"));
        Path settings = root.resolve("etc/tandem/edge/edge.conf");
        String shipped = Files.readString(settings);
        List<String> configure = List.of(control.resolve("postinst").toString(), "configure");

        // TLS inside rtpengine's media range.
        Files.writeString(settings, shipped.replace("EDGE_TLS_PORT=\n", "EDGE_TLS_PORT=35000\n"));
        Shell.Result tls = Shell.run(configure, tools.environment(root), null);
        assertThat(tls.exit()).as(tls.output()).isEqualTo(2);
        assertThat(tls.output()).contains("EDGE_TLS_PORT (35000) and EDGE_RTP_PORT_MIN-EDGE_RTP_PORT_MAX "
                + "(30000-39999) overlap on port 35000");
        assertThat(tools.calls()).isEmpty();
        assertThat(root.resolve("etc/tandem/edge/dispatcher.list")).doesNotExist();

        // A node on this host with the shipped node.yml (every port commented: the node's defaults) and the shipped
        // edge.conf: both on SIP 5060; with the edge's SIP moved, rtpengine's control port in the node's RTP range.
        Files.writeString(root.resolve("etc/tandem/node.yml"),
                Files.readString(Path.of("src/deb/node/etc/node.yml")));
        Files.writeString(settings, shipped);
        Shell.Result sip = Shell.run(configure, tools.environment(root), null);
        assertThat(sip.exit()).isEqualTo(2);
        assertThat(sip.output()).contains("EDGE_SIP_PORT (5060) and node.yml tandem.sip.udp-port (5060) overlap on "
                + "port 5060");
        Files.writeString(settings, shipped.replace("EDGE_SIP_PORT=5060", "EDGE_SIP_PORT=5070"));
        Shell.Result ng = Shell.run(configure, tools.environment(root), null);
        assertThat(ng.exit()).isEqualTo(2);
        assertThat(ng.output()).contains("EDGE_NG_PORT (22222) and node.yml tandem.sip.rtp-port-min-max "
                + "(20000-29999) overlap on port 22222");
        assertThat(tools.calls()).isEmpty();

        Files.writeString(root.resolve("etc/tandem/node.yml"), "tandem.sip.rtp-port-min: 40000\n"
                + "tandem.sip.rtp-port-max: 49999\n", StandardOpenOption.APPEND);
        script("postinst", "configure");
        assertThat(tools.calls())
                .contains("deb-systemd-invoke start tandem-edge-rtpengine.service tandem-edge.service");
        assertThat(root.resolve("etc/tandem/edge/dispatcher.list")).exists();
    }
}
