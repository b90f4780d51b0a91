package io.tandem.telephony.sip.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestChallengeTest {

    @Test
    void parsesEveryFieldWeUse() {
        DigestChallenge c = DigestChallenge.parse(
                "Digest realm=\"a\", nonce=\"b\", qop=\"auth\", algorithm=SHA-256, stale=true, opaque=\"o\"");
        assertThat(c).isEqualTo(new DigestChallenge("a", "b", "o", DigestAlgorithm.SHA_256, true, true));
    }

    @Test
    void defaultsAndCaseInsensitiveTokens() {
        DigestChallenge c = DigestChallenge.parse("digest  NONCE=\"n\" ,REALM=\"r\",stale=FALSE,qop=\"auth-int\"");
        assertThat(c).isEqualTo(new DigestChallenge("r", "n", null, DigestAlgorithm.MD5, false, false));
        assertThat(DigestChallenge.parse("Digest realm=r, nonce=n, algorithm=md5, qop=\"auth-int,auth\"").qopAuth())
                .isTrue();
    }

    @Test
    void writesAHeaderThatParsesBack() {
        DigestChallenge c = new DigestChallenge("tandem \"main\"", "abc", "xyz", DigestAlgorithm.SHA_256, true, true);
        assertThat(c.toHeaderValue()).isEqualTo("Digest realm=\"tandem \\\"main\\\"\", nonce=\"abc\", "
                + "opaque=\"xyz\", algorithm=SHA-256, qop=\"auth\", stale=true");
        assertThat(DigestChallenge.parse(c.toHeaderValue())).isEqualTo(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Basic realm=\"a\"",
            "Digest nonce=\"b\"",
            "Digest realm=\"a\"",
            "Digest realm=\"a\", nonce=\"b\", algorithm=MD5-sess",
            "Digest realm=\"a, nonce=\"b\"",
            "Digest realm",
            "",
            "NoOneKnowsThisScheme opaque-data=here",
    })
    void refusesWithAClearMessage(String value) {
        assertThatThrownBy(() -> DigestChallenge.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void algorithmTokens() {
        assertThat(DigestAlgorithm.fromToken(null)).isEqualTo(DigestAlgorithm.MD5);
        assertThat(DigestAlgorithm.fromToken("sha-256")).isEqualTo(DigestAlgorithm.SHA_256);
        assertThat(DigestAlgorithm.SHA_256.token()).isEqualTo("SHA-256");
        assertThat(DigestAlgorithm.MD5.hash("")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(DigestAlgorithm.SHA_256.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(DigestAlgorithm.MD5.ha1("Mufasa", "testrealm@host.com", "Circle Of Life"))
                .isEqualTo("939e7578ed9e3c518a452acee763bce9");
    }
}
