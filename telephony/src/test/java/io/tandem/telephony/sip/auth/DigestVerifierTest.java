package io.tandem.telephony.sip.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestVerifierTest {
    private final DigestVerifier verifier = new DigestVerifier();
    private final DigestClient client = new DigestClient();

    private DigestResponse credentials(DigestAlgorithm alg, boolean qop, String password, String method) {
        DigestChallenge c = new DigestChallenge("tandem", "nonce-1", "op", alg, qop, false);
        return DigestResponse.parse(client.authorization(c, method, "sip:tandem.example", "1001", password));
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void acceptsTheRightPasswordWithAndWithoutQop(DigestAlgorithm alg) {
        String ha1 = alg.ha1("1001", "tandem", "s3cret");
        assertThat(verifier.verify(credentials(alg, true, "s3cret", "REGISTER"), "REGISTER", ha1)).isTrue();
        assertThat(verifier.verify(credentials(alg, false, "s3cret", "REGISTER"), "REGISTER", ha1)).isTrue();
        assertThat(verifier.verify(credentials(alg, true, "s3cret", "REGISTER"), "REGISTER", "sip:tandem.example",
                ha1)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void refusesAWrongPasswordMethodOrUri(DigestAlgorithm alg) {
        String ha1 = alg.ha1("1001", "tandem", "s3cret");
        assertThat(verifier.verify(credentials(alg, true, "guess", "REGISTER"), "REGISTER", ha1)).isFalse();
        assertThat(verifier.verify(credentials(alg, false, "guess", "REGISTER"), "REGISTER", ha1)).isFalse();
        assertThat(verifier.verify(credentials(alg, true, "s3cret", "REGISTER"), "INVITE", ha1)).isFalse();

        DigestResponse r = credentials(alg, true, "s3cret", "REGISTER");
        DigestResponse otherUri = new DigestResponse(r.username(), r.realm(), r.nonce(), "sip:evil.example",
                r.response(), r.algorithm(), r.cnonce(), r.opaque(), r.qop(), r.nonceCount());
        assertThat(verifier.verify(otherUri, "REGISTER", ha1)).as("uri is covered by the digest").isFalse();
        assertThat(verifier.verify(r, "REGISTER", "sip:other.example", ha1))
                .as("RFC 2617 §3.2.2.5: credentials for another Request-URI").isFalse();
    }

    @Test
    void refusesTamperedCountersAndUnsupportedQop() {
        String ha1 = DigestAlgorithm.MD5.ha1("1001", "tandem", "s3cret");
        DigestResponse r = credentials(DigestAlgorithm.MD5, true, "s3cret", "REGISTER");
        assertThat(verifier.verify(with(r, r.qop(), "00000002", r.cnonce()), "REGISTER", ha1)).isFalse();
        assertThat(verifier.verify(with(r, r.qop(), r.nonceCount(), "other"), "REGISTER", ha1)).isFalse();
        assertThat(verifier.verify(with(r, "auth-int", r.nonceCount(), r.cnonce()), "REGISTER", ha1)).isFalse();
        assertThat(verifier.verify(with(r, r.qop(), null, r.cnonce()), "REGISTER", ha1)).isFalse();
        assertThat(verifier.verify(with(r, r.qop(), "xyz", r.cnonce()), "REGISTER", ha1)).isFalse();
        assertThat(verifier.verify(null, "REGISTER", ha1)).isFalse();
    }

    @Test
    void hexCaseDoesNotMatter() {
        String ha1 = DigestAlgorithm.MD5.ha1("1001", "tandem", "s3cret");
        DigestResponse r = credentials(DigestAlgorithm.MD5, true, "s3cret", "REGISTER");
        DigestResponse upper = new DigestResponse(r.username(), r.realm(), r.nonce(), r.uri(),
                r.response().toUpperCase(Locale.ROOT), r.algorithm(), r.cnonce(), r.opaque(), r.qop(),
                r.nonceCount());
        assertThat(verifier.verify(upper, "REGISTER", ha1.toUpperCase(Locale.ROOT))).isTrue();
    }

    @Test
    void verifiesTheRfc2617ExampleFromItsHeader() {
        DigestResponse r = DigestResponse.parse("Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
                + "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
                + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
        assertThat(verifier.verify(r, "GET", DigestAlgorithm.MD5.ha1("Mufasa", "testrealm@host.com",
                "Circle Of Life"))).isTrue();
    }

    @Test
    void credentialsThatAreNotDigestAreRefusedClearly() {
        // RFC 4475 §3.3.7 regaut01: the registrar answers 401 with a Digest challenge.
        assertThatThrownBy(() -> DigestResponse.parse("NoOneKnowsThisScheme opaque-data=here"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoOneKnowsThisScheme");
        assertThatThrownBy(() -> DigestResponse.parse("Digest username=\"a\", realm=\"r\", nonce=\"n\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uri");
    }

    private static DigestResponse with(DigestResponse r, String qop, String nc, String cnonce) {
        return new DigestResponse(r.username(), r.realm(), r.nonce(), r.uri(), r.response(), r.algorithm(), cnonce,
                r.opaque(), qop, nc);
    }
}
