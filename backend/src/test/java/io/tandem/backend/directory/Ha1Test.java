package io.tandem.backend.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ha1Test {

    @Test
    void md5MatchesTheRfc2617Example() {
        // RFC 2617 §3.5: Mufasa / testrealm@host.com / "Circle Of Life"
        assertThat(Ha1.md5("Mufasa", "testrealm@host.com", "Circle Of Life"))
                .isEqualTo("939e7578ed9e3c518a452acee763bce9");
    }

    @Test
    void demoUserHashes() {
        assertThat(Ha1.md5("1001", "demo", "tandem")).isEqualTo("824b54a7999c51e403a1149ef3c41975");
        assertThat(Ha1.sha256("1001", "demo", "tandem"))
                .isEqualTo("1a189177414e1b0f97349e44b3ec30462465ce3d50aa3f332840723586501709");
    }

    @Test
    void realmAndUserAreBothPartOfTheHash() {
        assertThat(Ha1.md5("1001", "demo", "tandem")).isNotEqualTo(Ha1.md5("1001", "acme", "tandem"));
        assertThat(Ha1.md5("1001", "demo", "tandem")).isNotEqualTo(Ha1.md5("1002", "demo", "tandem"));
    }

    @Test
    void comparison() {
        String stored = Ha1.md5("1001", "demo", "tandem");
        assertThat(Ha1.matches(stored, Ha1.md5("1001", "demo", "tandem"))).isTrue();
        assertThat(Ha1.matches(stored, Ha1.md5("1001", "demo", "Tandem"))).isFalse();
        assertThat(Ha1.matches(null, stored)).isFalse();
        assertThat(Ha1.matches(stored, "")).isFalse();
    }
}
