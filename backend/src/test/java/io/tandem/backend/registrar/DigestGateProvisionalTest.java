package io.tandem.backend.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.testing.MutableClock;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.redis.Keys;
import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.sip.auth.DigestResponse;
import io.tandem.telephony.sip.auth.HmacNonces;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link DigestGate#provisional}: a REGISTER is provisionally good only with the right password against a cached
 * HA1 on a valid nonce of this realm and source; every other case is left to the directory ({@link DigestGate#check}).
 * No Redis: the provisional check reads none (the write script confirms it).
 */
class DigestGateProvisionalTest {

    private static final String TENANT = "acme.example";
    private static final String SOURCE = "192.0.2.10";
    private static final String URI = "sip:" + TENANT;
    private static final Duration VALIDITY = Duration.ofSeconds(300);

    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_000_000));
    private final HmacNonces nonces = new HmacNonces("0123456789abcdef0123456789abcdef".getBytes(
            StandardCharsets.UTF_8), clock, VALIDITY);
    private final Ha1Cache cache = new Ha1Cache(100, Duration.ofHours(1), clock);
    private final DigestGate gate = new DigestGate(nonces, null, List.of(DigestAlgorithm.MD5,
            DigestAlgorithm.SHA_256), VALIDITY.toMillis(), cache);

    private void cacheSecret(String extension) {
        cache.put(TENANT, extension, DigestAlgorithm.MD5.ha1(extension, TENANT, "secret"),
                DigestAlgorithm.SHA_256.ha1(extension, TENANT, "secret"));
    }

    /** The Authorization a client computes from the challenge the gate issued to {@code source}. */
    private String authorization(String source, DigestAlgorithm algorithm, String user, String password) {
        String header = gate.challenges(TENANT, source, false, false).stream()
                .map(DigestChallenge::parse).filter(c -> c.algorithm() == algorithm).findFirst().orElseThrow()
                .toHeaderValue();
        return new DigestClient().authorization(DigestChallenge.parse(header), "REGISTER", URI, user, password);
    }

    @Test
    void rightPasswordAgainstTheCachedHa1IsAProofForTheWriteToConfirm() {
        cacheSecret("1001");
        String authorization = authorization(SOURCE, DigestAlgorithm.MD5, "1001", "secret");

        Optional<DigestGate.Proof> proof = gate.provisional(authorization, "REGISTER", TENANT, SOURCE, "1001");

        DigestResponse sent = DigestResponse.parse(authorization);
        assertThat(proof).hasValueSatisfying(p -> {
            assertThat(p.nonceKey()).isEqualTo(Keys.nonceCount(TENANT, sent.nonce()));
            assertThat(p.nc()).isEqualTo(Long.parseLong(sent.nonceCount(), 16));
            assertThat(p.ttlMillis()).isEqualTo(VALIDITY.toMillis());
            assertThat(p.ha1Field()).isEqualTo(Directory.HA1_MD5_FIELD);
            assertThat(p.ha1()).isEqualTo(DigestAlgorithm.MD5.ha1("1001", TENANT, "secret"));
        });
    }

    @Test
    void sha256CredentialsAreConfirmedAgainstTheSha256Ha1() {
        cacheSecret("1001");
        String authorization = authorization(SOURCE, DigestAlgorithm.SHA_256, "1001", "secret");

        assertThat(gate.provisional(authorization, "REGISTER", TENANT, SOURCE, "1001")).hasValueSatisfying(p -> {
            assertThat(p.ha1Field()).isEqualTo(Directory.HA1_SHA256_FIELD);
            assertThat(p.ha1()).isEqualTo(DigestAlgorithm.SHA_256.ha1("1001", TENANT, "secret"));
        });
    }

    @Test
    void nothingCachedLeavesItToTheDirectory() {
        String authorization = authorization(SOURCE, DigestAlgorithm.MD5, "1001", "secret");
        assertThat(gate.provisional(authorization, "REGISTER", TENANT, SOURCE, "1001")).isEmpty();
    }

    @Test
    void aWrongPasswordAgainstTheCachedHa1IsLeftToTheDirectory() {
        cacheSecret("1001");
        String authorization = authorization(SOURCE, DigestAlgorithm.MD5, "1001", "guess");
        assertThat(gate.provisional(authorization, "REGISTER", TENANT, SOURCE, "1001")).isEmpty();
    }

    @Test
    void credentialsOfAnotherUserAreNoProof() {
        cacheSecret("1001");
        cacheSecret("1002");
        String authorization = authorization(SOURCE, DigestAlgorithm.MD5, "1002", "secret");
        assertThat(gate.provisional(authorization, "REGISTER", TENANT, SOURCE, "1001")).isEmpty();
    }

    @Test
    void aNonceIssuedToAnotherSourceOrRealmIsNoProof() {
        cacheSecret("1001");
        String authorization = authorization("198.51.100.7", DigestAlgorithm.MD5, "1001", "secret");
        assertThat(gate.provisional(authorization, "REGISTER", TENANT, SOURCE, "1001")).isEmpty();
        assertThat(gate.provisional(authorization(SOURCE, DigestAlgorithm.MD5, "1001", "secret"), "REGISTER",
                "other.example", SOURCE, "1001")).isEmpty();
    }

    @Test
    void aStaleNonceIsLeftToTheDirectory() {
        cacheSecret("1001");
        String authorization = authorization(SOURCE, DigestAlgorithm.MD5, "1001", "secret");
        clock.advance(VALIDITY.plusSeconds(1));
        assertThat(gate.provisional(authorization, "REGISTER", TENANT, SOURCE, "1001")).isEmpty();
    }

    @Test
    void noCredentialsOrUnreadableOnesAreNoProof() {
        cacheSecret("1001");
        assertThat(gate.provisional(null, "REGISTER", TENANT, SOURCE, "1001")).isEmpty();
        assertThat(gate.provisional("Digest nonsense", "REGISTER", TENANT, SOURCE, "1001")).isEmpty();
    }
}
