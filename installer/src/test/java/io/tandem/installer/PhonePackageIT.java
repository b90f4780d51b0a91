package io.tandem.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The softphone's package as an agent's desktop gets it: control fields, the files it lays down, the desktop entry
 * and icon, lintian, and the packaged launcher run from an unpacked copy on the package's own trimmed runtime.
 * Runs after {@code package}, which built it (src/phone/build-phone-deb.sh).
 */
class PhonePackageIT {

    static final String NAME = "tandem-phone";
    static final String HOME = "usr/lib/" + NAME;
    static final Path DEB = Package.DEB_DIR.resolve(NAME + "_" + Package.VERSION + "_amd64.deb");

    /** The package unpacked once (dpkg-deb -x) for the tests that read its files or run its launcher. */
    @TempDir
    static Path root;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(DEB).as("built by mvn package (./tandem package)").exists();
        Shell.run(List.of("dpkg-deb", "-x", DEB.toString(), root.toString())).requireSuccess();
    }

    @Test
    void lintianFindsNoErrors() throws Exception {
        Shell.Result lintian = Shell.run(List.of("lintian", "--fail-on", "error", "--tag-display-limit", "0",
                DEB.toString()));

        assertThat(lintian.output().lines().filter(l -> l.startsWith("E: ")).toList()).isEmpty();
        assertThat(lintian.exit()).as(lintian.output()).isZero();
    }

    @Test
    void controlFieldsAreWhatThePackagePromises() throws Exception {
        Map<String, String> fields = fields("Package", "Version", "Architecture", "Section", "Maintainer",
                "Depends", "Description", "Installed-Size");

        assertThat(fields).containsEntry("Package", NAME).containsEntry("Version", Package.VERSION)
                .containsEntry("Architecture", "amd64").containsEntry("Section", "net")
                .containsEntry("Maintainer", "Tandem team <tandem@tandem.invalid>");
        // jpackage computes Depends from the runtime's native libraries: JavaFX's GTK window and the sound card.
        assertThat(Arrays.asList(fields.get("Depends").split(",\\s*")))
                .contains("libc6", "libgtk-3-0", "libasound2", "xdg-utils")
                .noneMatch(dependency -> dependency.contains("jre") || dependency.contains("java"));
        assertThat(fields.get("Description")).startsWith("Tandem agent softphone\n ")
                .contains("own Java runtime with JavaFX");
        // What apt announces is what lands on the disk (the runtime is stripped after jpackage counted it).
        long unpackedKb = Long.parseLong(Shell.run(List.of("du", "-sk", root.resolve("usr").toString()))
                .requireSuccess().output().split("\\s")[0]);
        assertThat(Long.parseLong(fields.get("Installed-Size"))).isCloseTo(unpackedKb, withinPercentage(3));
    }

    @Test
    void contentsAreTheApplicationItsRuntimeTheCommandAndTheDocs() throws Exception {
        List<String> listing = Shell.run(List.of("dpkg-deb", "-c", DEB.toString())).requireSuccess()
                .output().lines().toList();

        assertThat(listing).anyMatch(entry("-rwxr-xr-x root/root", "./" + HOME + "/bin/" + NAME))
                .anyMatch(line -> line.startsWith("lrwxrwxrwx root/root")
                        && line.endsWith(" ./usr/bin/" + NAME + " -> ../lib/" + NAME + "/bin/" + NAME))
                .anyMatch(entry("-rw-r--r-- root/root",
                        "./" + HOME + "/lib/app/tandem-agent-client-" + mavenVersion() + ".jar"))
                .anyMatch(entry("-rw-r--r-- root/root", "./" + HOME + "/lib/runtime/lib/modules"))
                .anyMatch(entry("-rw-r--r-- root/root", "./" + HOME + "/lib/" + NAME + ".png"))
                .anyMatch(entry("-rw-r--r-- root/root", "./usr/share/doc/" + NAME + "/copyright"))
                .anyMatch(entry("-rw-r--r-- root/root", "./usr/share/doc/" + NAME + "/changelog.gz"))
                // JavaFX is linked into the runtime as modules, not shipped again as jars on the class path.
                .noneMatch(line -> line.contains("/lib/app/javafx-"))
                // A trimmed runtime: no JDK tools (jlink --strip-native-commands), no headers.
                .noneMatch(line -> line.contains("/lib/runtime/bin/"))
                .noneMatch(line -> line.contains("/lib/runtime/include/"))
                // Nothing outside /usr: /opt is not for Debian packages (lintian dir-or-file-in-opt).
                .allMatch(line -> line.endsWith(" ./") || line.contains(" ./usr/"));
    }

    @Test
    void runtimeHoldsTheModulesThePhoneNeedsAndNotTheWholeJdk() throws Exception {
        String release = Files.readString(root.resolve(HOME + "/lib/runtime/release"));
        String modulesLine = release.lines().filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        Set<String> modules = new TreeSet<>(Arrays.asList(modulesLine.substring("MODULES=\"".length(),
                modulesLine.length() - 1).split(" ")));

        assertThat(modules).contains("java.base", "java.desktop", "java.net.http", "java.naming", "java.sql",
                "javafx.base", "javafx.graphics", "javafx.controls", "jdk.crypto.ec", "jdk.localedata");
        assertThat(modules).doesNotContain("java.compiler", "jdk.compiler", "jdk.jshell", "jdk.jlink",
                "java.scripting", "jdk.httpserver");
    }

    @Test
    void desktopEntryShowsTandemPhoneUnderTelephonyAndIsInstalledIntoTheMenu() throws Exception {
        Path desktop = root.resolve(HOME + "/lib/" + NAME + "-" + NAME + ".desktop");
        Map<String, String> entry = new LinkedHashMap<>();
        for (String line : Files.readAllLines(desktop)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                entry.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }

        assertThat(entry).containsEntry("Type", "Application").containsEntry("Name", "Tandem Phone")
                .containsEntry("Categories", "Network;Telephony;").containsEntry("Terminal", "false")
                .containsEntry("Exec", "/" + HOME + "/bin/" + NAME)
                .containsEntry("Icon", "/" + HOME + "/lib/" + NAME + ".png");
        assertThat(root.resolve(entry.get("Exec").substring(1))).isExecutable();
        BufferedImage icon = ImageIO.read(root.resolve(entry.get("Icon").substring(1)).toFile());
        assertThat(icon).as("the icon is a PNG").isNotNull();
        assertThat(icon.getWidth()).isEqualTo(256);
        assertThat(icon.getHeight()).isEqualTo(256);
        // The menu learns of it at configure and forgets it at remove (xdg-desktop-menu, from jpackage's scripts).
        Path control = Files.createDirectories(root.resolve("DEBIAN-control"));
        Shell.run(List.of("dpkg-deb", "-e", DEB.toString(), control.toString())).requireSuccess();
        assertThat(Files.readString(control.resolve("postinst")))
                .contains("xdg-desktop-menu install /" + HOME + "/lib/" + NAME + "-" + NAME + ".desktop");
        assertThat(Files.readString(control.resolve("prerm")))
                .contains("xdg-desktop-menu uninstall /" + HOME + "/lib/" + NAME + "-" + NAME + ".desktop");
    }

    /** The packaged launcher on the packaged runtime says which phone it is, and which JavaFX it found. */
    @Test
    void packagedLauncherPrintsTheVersionOnItsOwnRuntime() throws Exception {
        Shell.Result version = Shell.run(List.of(command().toString(), "--version"), Map.of(), root);

        assertThat(version.exit()).as(version.output()).isZero();
        // "JavaFX absent" when the runtime lost javafx.controls: the phone could not open its window.
        assertThat(version.output().strip()).startsWith("Tandem Phone " + mavenVersion() + " (Java 17")
                .matches(".*, JavaFX 2[1-9][0-9.]*\\)");
    }

    @Test
    void packagedLauncherStartsHeadlessHelp() throws Exception {
        Shell.Result help = Shell.run(List.of(command().toString(), "--headless", "--help"), Map.of(), root);

        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("--headless", "--agent ID", "--backend URL");
    }

    /**
     * The headless phone's login goes through the HTTP client, Jackson and the logging of the packaged runtime: a
     * backend that refuses the connection gets the phone's own message, not a missing class or module.
     */
    @Test
    void packagedHeadlessPhoneReachesForTheBackendWithItsRuntime() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Shell.Result login = Shell.run(List.of(command().toString(), "--headless", "--agent", "1001",
                "--backend", "http://127.0.0.1:" + closedPort, "--password", "installer-it"), Map.of(), root);

        assertThat(login.exit()).as(login.output()).isEqualTo(1);
        assertThat(login.output()).contains("tandem phone: Cannot reach the backend at http://127.0.0.1:" + closedPort)
                .doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "Exception in thread");
    }

    /** /usr/bin/tandem-phone of the unpacked package: the link, as an agent's shell runs it. */
    private static Path command() {
        return root.resolve("usr/bin/" + NAME);
    }

    private static String mavenVersion() {
        return System.getProperty("installer.mavenVersion", "0.1.0-SNAPSHOT");
    }

    private static Map<String, String> fields(String... names) throws IOException, InterruptedException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : names) {
            String value = Shell.run(List.of("dpkg-deb", "-f", DEB.toString(), name)).requireSuccess().output();
            fields.put(name, value.stripTrailing());
        }
        return fields;
    }

    private static Predicate<String> entry(String modeAndOwner, String path) {
        return line -> line.startsWith(modeAndOwner) && line.endsWith(" " + path);
    }
}
