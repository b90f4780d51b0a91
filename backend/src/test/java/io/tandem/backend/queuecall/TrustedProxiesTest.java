package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void matchesBlocksAndSingleHosts() {
        TrustedProxies trusted = TrustedProxies.parse(List.of("10.1.0.0/16", "192.0.2.7", "fd00::/8", "172.16.0.0/12"));
        assertThat(trusted.contains("10.1.200.3")).isTrue();
        assertThat(trusted.contains("10.2.0.1")).isFalse();
        assertThat(trusted.contains("192.0.2.7")).isTrue();
        assertThat(trusted.contains("192.0.2.8")).isFalse();
        assertThat(trusted.contains("172.31.255.255")).isTrue();
        assertThat(trusted.contains("172.32.0.0")).isFalse();
        assertThat(trusted.contains("fd12::1")).isTrue();
        assertThat(trusted.contains("fe80::1")).isFalse();
        assertThat(trusted.contains("")).isFalse();
    }

    @Test
    void nothingIsTrustedByDefault() {
        assertThat(TrustedProxies.parse(List.of()).contains("127.0.0.1")).isFalse();
    }

    @Test
    void badEntriesAreNamed() {
        for (String bad : List.of("kamailio.example", "10.0.0.0/33", "10.0.0.0/x", "::1/129")) {
            assertThatThrownBy(() -> TrustedProxies.parse(List.of(bad))).hasMessageContaining(bad);
        }
    }
}
