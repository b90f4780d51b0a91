package io.tandem.backend.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class Ha1CacheTest {

    /** A clock the test moves. */
    static final class SteppedClock extends Clock {
        private volatile long millis = 1_000_000;

        void advance(Duration by) {
            millis += by.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final SteppedClock clock = new SteppedClock();

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
