package io.tandem.backend.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Ha1CacheTest {

    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_000_000));

    @Test
    void keepsWhatWasReadPerTenantAndExtension() {
        Ha1Cache cache = new Ha1Cache(10, Duration.ofMinutes(1), clock);
        cache.put("acme.example", "1001", "md5-a", "sha-a");
        cache.put("other.example", "1001", "md5-b", "sha-b");

        assertThat(cache.get("acme.example", "1001")).hasValueSatisfying(e -> {
            assertThat(e.ha1Md5()).isEqualTo("md5-a");
            assertThat(e.ha1Sha256()).isEqualTo("sha-a");
        });
        assertThat(cache.get("other.example", "1001")).hasValueSatisfying(
                e -> assertThat(e.ha1Md5()).isEqualTo("md5-b"));
        assertThat(cache.get("acme.example", "1002")).isEmpty();
    }

    @Test
    void anEntryIsNotUsedPastItsLifetime() {
        Ha1Cache cache = new Ha1Cache(10, Duration.ofMinutes(1), clock);
        cache.put("acme.example", "1001", "md5", "sha");
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.get("acme.example", "1001")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("acme.example", "1001")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void forgetRemovesTheUser() {
        Ha1Cache cache = new Ha1Cache(10, Duration.ofMinutes(1), clock);
        cache.put("acme.example", "1001", "md5", "sha");
        cache.forget("acme.example", "1001");
        assertThat(cache.get("acme.example", "1001")).isEmpty();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        Ha1Cache cache = new Ha1Cache(3, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 10; i++) {
            cache.put("acme.example", Integer.toString(1000 + i), "md5", "sha");
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        assertThat(cache.get("acme.example", "1009")).isPresent();
    }

    @Test
    void capacityZeroKeepsNothing() {
        Ha1Cache cache = new Ha1Cache(0, Duration.ofMinutes(1), clock);
        cache.put("acme.example", "1001", "md5", "sha");
        assertThat(cache.get("acme.example", "1001")).isEmpty();
    }
}
