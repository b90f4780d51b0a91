package io.tandem.installer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for the system tools the maintainer scripts call, so the scripts run against a scratch root without
 * creating a user on this machine or talking to its init system. Each stub appends its name and arguments to a
 * log the test reads; {@code getent passwd USER} answers from what the stubbed adduser and deluser did. Everything
 * else the scripts use (head, base64, mkdir, mv, rm, chmod) is the real tool.
 */
final class SystemToolStubs {

    private static final String RECORD = "echo \"$(basename \"$0\") $*\" >> \"$STUB_LOG\"\n";

    private static final Map<String, String> STUBS = Map.of(
            // The user is the last argument of adduser and deluser.
            "adduser", RECORD + "for user; do :; done; touch \"$STUB_STATE/user-$user\"\n",
            "deluser", RECORD + "for user; do :; done; rm -f \"$STUB_STATE/user-$user\"\n",
            "getent", "[ \"$1\" = passwd ] && [ -e \"$STUB_STATE/user-$2\" ]\n",
            // chown to a user this machine does not have: recorded, the file stays root's.
            "chown", RECORD,
            // was-enabled answers yes, as for a unit never disabled by the operator.
            "deb-systemd-helper", RECORD,
            "deb-systemd-invoke", RECORD,
            "systemctl", RECORD);

    private final Path bin;
    private final Path log;
    private final Path state;

    SystemToolStubs(Path dir) throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        state = Files.createDirectories(dir.resolve("state"));
        log = dir.resolve("calls.log");
        Files.writeString(log, "");
        for (Map.Entry<String, String> stub : STUBS.entrySet()) {
            Path script = bin.resolve(stub.getKey());
            Files.writeString(script, "#!/bin/sh\n" + stub.getValue());
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** The environment a maintainer script gets: the stubs first on PATH, the scratch root as DPKG_ROOT. */
    Map<String, String> environment(Path root) {
        return Map.of("PATH", bin + ":/usr/bin:/bin:/usr/sbin:/sbin", "DPKG_ROOT", root.toString(),
                "STUB_LOG", log.toString(), "STUB_STATE", state.toString());
    }

    /** The calls recorded since the last {@link #clear()}, one "tool args" line each. */
    List<String> calls() throws IOException {
        return Files.readAllLines(log);
    }

    void clear() throws IOException {
        Files.writeString(log, "");
    }

    boolean userExists() {
        return userExists("tandem");
    }

    boolean userExists(String name) {
        return Files.exists(state.resolve("user-" + name));
    }
}
