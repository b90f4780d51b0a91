package io.tandem.telephony.sip.auth;

import org.junit.jupiter.api.Test;

import io.tandem.telephony.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HmacNoncesTest {
    private static final byte[] SECRET = "cluster-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final HmacNonces nonces = new HmacNonces(SECRET, clock, Duration.ofMinutes(5));

    @Test
    void aFreshNonceIsValidOnAnyNodeWithTheSameSecret() {
        String nonce = nonces.issue("tandem");
        HmacNonces otherNode = new HmacNonces(SECRET.clone(), clock, Duration.ofMinutes(5));
        assertThat(nonces.check(nonce, "tandem")).isEqualTo(NonceCheck.VALID);
        assertThat(otherNode.check(nonce, "tandem")).isEqualTo(NonceCheck.VALID);
        assertThat(nonce).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void becomesStaleAfterItsValidity() {
        String nonce = nonces.issue("tandem");
        clock.advance(Duration.ofMinutes(5));
        assertThat(nonces.check(nonce, "tandem")).isEqualTo(NonceCheck.VALID);
        clock.advance(Duration.ofMillis(1));
        assertThat(nonces.check(nonce, "tandem")).isEqualTo(NonceCheck.STALE);
    }

    @Test
    void isInvalidWhenTamperedWithOrFromAnotherSecretOrRealm() {
        String nonce = nonces.issue("tandem");
        char[] chars = nonce.toCharArray();
        chars[3] = chars[3] == 'A' ? 'B' : 'A'; // inside the timestamp: pushing a nonce's age is the obvious forgery
        assertThat(nonces.check(new String(chars), "tandem")).isEqualTo(NonceCheck.INVALID);

        HmacNonces otherCluster = new HmacNonces("another-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                clock, Duration.ofMinutes(5));
        assertThat(otherCluster.check(nonce, "tandem")).isEqualTo(NonceCheck.INVALID);
        assertThat(nonces.check(nonce, "other-tenant")).isEqualTo(NonceCheck.INVALID);
        assertThat(nonces.check("dcd98b7102dd2f0e8b11d0f600bfb0c093", "tandem")).isEqualTo(NonceCheck.INVALID);
        assertThat(nonces.check("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "tandem")).isEqualTo(NonceCheck.INVALID);
        assertThat(nonces.check(null, "tandem")).isEqualTo(NonceCheck.INVALID);
    }

    @Test
    void aNonceFromTheFutureIsNotOurs() {
        MutableClock ahead = new MutableClock(clock.instant().plus(Duration.ofMinutes(10)));
        String nonce = new HmacNonces(SECRET, ahead, Duration.ofMinutes(5)).issue("tandem");
        assertThat(nonces.check(nonce, "tandem")).isEqualTo(NonceCheck.INVALID);
    }

    @Test
    void everyNonceIsDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(nonces.issue("tandem"));
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void refusesAWeakSecretOrNoValidity() {
        assertThatThrownBy(() -> new HmacNonces(new byte[8], clock, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HmacNonces(SECRET, clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
