package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneVersionTest {

    @Test
    void buildVersionIsTheMavenVersionFilteredIn() {
        // "unknown" when version.properties is missing, "${project.version}" when Maven did not filter it.
        assertThat(PhoneVersion.build()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void lineNamesThePhoneJavaAndJavaFx() {
        assertThat(PhoneVersion.line()).startsWith("Tandem Phone " + PhoneVersion.build() + " (Java "
                + Runtime.version() + ", JavaFX ").endsWith(")");
    }
}
