package io.tandem.callback.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectoryUsersTest {

    @Test
    void ha1IsTheSha256OfUserRealmAndPasswordInLowerCaseHex() {
        // RFC 7616 §3.4.2: H(username ":" realm ":" password); echo -n '1001:demo:tandem' | sha256sum
        assertThat(DirectoryUsers.ha1Sha256("1001", "demo", "tandem"))
                .isEqualTo("1a189177414e1b0f97349e44b3ec30462465ce3d50aa3f332840723586501709");
    }

    @Test
    void aRoleIncludesTheOnesBelowIt() {
        assertThat(DirectoryUsers.rolesWithTheOnesBelow("admin")).containsExactly("agent", "supervisor", "admin");
        assertThat(DirectoryUsers.rolesWithTheOnesBelow("agent,supervisor")).containsExactly("agent", "supervisor");
        assertThat(DirectoryUsers.rolesWithTheOnesBelow("agent")).containsExactly("agent");
        assertThat(DirectoryUsers.rolesWithTheOnesBelow("")).isEmpty();
        assertThat(DirectoryUsers.rolesWithTheOnesBelow("janitor")).isEmpty();
    }
}
