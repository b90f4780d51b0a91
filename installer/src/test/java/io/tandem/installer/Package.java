package io.tandem.installer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One Debian package the installer module builds, with what it promises. */
enum Package {

    NODE("tandem-node", "tandem-node.jar", "node.yml", "tandem"),
    CALLBACK("tandem-callback", "tandem-callback.jar", "callback.yml", "tandem-callback");

    /** Where Maven wrote the packages (Failsafe passes it), and the version they carry. */
    static final Path DEB_DIR = Path.of(System.getProperty("installer.debDir", "target"));
    static final String VERSION = System.getProperty("installer.mavenVersion", "0.1.0-SNAPSHOT")
            .replaceFirst("-SNAPSHOT$", "~SNAPSHOT");

    final String name;
    final String jar;
    final String config;
    /** The StateDirectory= and LogsDirectory= of the unit. */
    final String stateName;

    Package(String name, String jar, String config, String stateName) {
        this.name = name;
        this.jar = jar;
        this.config = config;
        this.stateName = stateName;
    }

    Path deb() {
        return DEB_DIR.resolve(name + "_" + VERSION + "_all.deb");
    }

    String unit() {
        return name + ".service";
    }

    List<String> conffiles() {
        return List.of("/etc/tandem/" + config, "/etc/default/" + name);
    }

    /** Unpacks the data part into {@code root} as dpkg would (dpkg-deb -x), and returns root. */
    Path unpack(Path root) throws IOException, InterruptedException {
        Files.createDirectories(root);
        Shell.run(List.of("dpkg-deb", "-x", deb().toString(), root.toString())).requireSuccess();
        return root;
    }

    /** Extracts the control part (control, conffiles, maintainer scripts) into {@code dir}, and returns dir. */
    Path control(Path dir) throws IOException, InterruptedException {
        Shell.run(List.of("dpkg-deb", "-e", deb().toString(), dir.toString())).requireSuccess();
        return dir;
    }

    /**
     * The unit's [Service] and [Unit] settings as key → value; a repeated key keeps its values space-joined, and a
     * line ending in a backslash goes on in the next (systemd.syntax(7)), joined with one space.
     */
    static Map<String, String> unitSettings(Path unitFile) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        String continued = "";
        for (String line : Files.readAllLines(unitFile)) {
            if (line.endsWith("\\") && !line.strip().startsWith("#")) {
                continued += line.substring(0, line.length() - 1).strip() + " ";
                continue;
            }
            String trimmed = (continued + line.strip()).strip();
            continued = "";
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("[")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            settings.merge(trimmed.substring(0, eq), trimmed.substring(eq + 1), (a, b) -> a + " " + b);
        }
        return settings;
    }
}
