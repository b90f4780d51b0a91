package io.tandem.telephony.sip.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestClientTest {

    @Test
    void reproducesTheRfc2617Example() {
        // RFC 2617 §3.5
        DigestChallenge c = DigestChallenge.parse("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
        DigestResponse r = new DigestClient(() -> "0a4f113b")
                .respond(c, "GET", "/dir/index.html", "Mufasa", "Circle Of Life");

        assertThat(r.response()).isEqualTo("6629fae49393a05397450978507c4ef1");
        assertThat(r.nonceCount()).isEqualTo("00000001");
        assertThat(r.qop()).isEqualTo("auth");
        assertThat(r.opaque()).isEqualTo("5ccc069c403ebaf9f0171e9517f40e41");
        assertThat(r.algorithm()).isEqualTo(DigestAlgorithm.MD5);
    }

    @Test
    void reproducesTheRfc7616Sha256AndMd5Examples() {
        // RFC 7616 §3.9.1
        String challenge = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=%s, "
                + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        DigestClient client = new DigestClient(() -> "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");

        DigestResponse sha = client.respond(DigestChallenge.parse(challenge.formatted("SHA-256")), "GET",
                "/dir/index.html", "Mufasa", "Circle of Life");
        assertThat(sha.response()).isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
        assertThat(sha.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);

        DigestResponse md5 = new DigestClient(() -> "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
                .respond(DigestChallenge.parse(challenge.formatted("MD5")), "GET", "/dir/index.html", "Mufasa",
                        "Circle of Life");
        assertThat(md5.response()).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    @Test
    void nonceCountIncrementsPerUseOfTheSameNonceWithAFreshCnonce() {
        DigestClient client = new DigestClient();
        DigestChallenge first = new DigestChallenge("tandem", "n1", null, DigestAlgorithm.MD5, true, false);
        DigestChallenge second = new DigestChallenge("tandem", "n2", null, DigestAlgorithm.MD5, true, false);

        List<DigestResponse> sameNonce = List.of(
                client.respond(first, "REGISTER", "sip:tandem", "1001", "pw"),
                client.respond(first, "REGISTER", "sip:tandem", "1001", "pw"),
                client.respond(first, "INVITE", "sip:1002@tandem", "1001", "pw"));
        assertThat(sameNonce).extracting(DigestResponse::nonceCount)
                .containsExactly("00000001", "00000002", "00000003");
        Set<String> cnonces = new HashSet<>();
        sameNonce.forEach(r -> cnonces.add(r.cnonce()));
        assertThat(cnonces).hasSize(3);

        assertThat(client.respond(second, "REGISTER", "sip:tandem", "1001", "pw").nonceCount())
                .as("a new nonce starts again at 1").isEqualTo("00000001");
    }

    @Test
    void withoutQopAnswersTheRfc2069Way() {
        DigestChallenge c = DigestChallenge.parse("Digest realm=\"tandem\", nonce=\"abc\"");
        DigestResponse r = new DigestClient().respond(c, "REGISTER", "sip:tandem", "1001", "secret");

        DigestAlgorithm md5 = DigestAlgorithm.MD5;
        String expected = md5.hash(md5.ha1("1001", "tandem", "secret") + ":abc:" + md5.hash("REGISTER:sip:tandem"));
        assertThat(r.response()).isEqualTo(expected);
        assertThat(r.qop()).isNull();
        assertThat(r.nonceCount()).isNull();
        assertThat(r.cnonce()).isNull();
    }

    @Test
    void theHeaderValueParsesBackToTheSameCredentials() {
        DigestChallenge c = new DigestChallenge("tan\"dem", "n\\1", "op", DigestAlgorithm.SHA_256, true, false);
        DigestClient client = new DigestClient(() -> "cn");
        String header = client.authorization(c, "INVITE", "sip:1002@tandem.example", "1001", "pw");

        assertThat(header).startsWith("Digest username=\"1001\", realm=\"tan\\\"dem\"")
                .contains("algorithm=SHA-256", "qop=auth", "nc=00000001", "uri=\"sip:1002@tandem.example\"");
        DigestResponse parsed = DigestResponse.parse(header);
        assertThat(parsed.realm()).isEqualTo("tan\"dem");
        assertThat(parsed.nonce()).isEqualTo("n\\1");
        assertThat(new DigestVerifier().verify(parsed, "INVITE",
                DigestAlgorithm.SHA_256.ha1("1001", "tan\"dem", "pw"))).isTrue();
    }

    @Test
    void refusesMissingArguments() {
        DigestChallenge c = new DigestChallenge("r", "n", null, DigestAlgorithm.MD5, true, false);
        assertThatThrownBy(() -> new DigestClient().authorization(c, "REGISTER", "sip:r", "u", null))
                .isInstanceOf(NullPointerException.class);
    }
}
