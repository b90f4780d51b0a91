package io.tandem.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code --version} prints: the softphone's build version (the Maven project version, filtered into
 * {@code version.properties}) and the Java and JavaFX it runs on. JavaFX's version is its module's, read from the
 * boot layer, so a runtime without {@code javafx.controls} (a jlink image that lost it) says "absent".
 */
final class PhoneVersion {

    static final String FX_MODULE = "javafx.controls";

    private PhoneVersion() {
    }

    static String line() {
        String fx = ModuleLayer.boot().findModule(FX_MODULE)
                .map(m -> m.getDescriptor().rawVersion().orElse("unversioned"))
                .orElse("absent");
        return "Tandem Phone " + build() + " (Java " + Runtime.version() + ", JavaFX " + fx + ")";
    }

    static String build() {
        try (InputStream in = PhoneVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
