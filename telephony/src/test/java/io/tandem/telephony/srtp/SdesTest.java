package io.tandem.telephony.srtp;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdesTest {
    private static final String KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"; // RFC 4568 §4 example, 30 bytes
    private final SecureRandom random = new SecureRandom();

    @Test
    void parsesTheRfcExampleAndFormatsItBack() throws SdesException {
        CryptoAttribute c = CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20");
        assertThat(c.tag()).isEqualTo(1);
        assertThat(c.suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        assertThat(c.keySalt()).isEqualTo(Base64.getDecoder().decode(KEY));
        assertThat(c.format()).isEqualTo("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY);
        assertThat(CryptoAttribute.parse(c.format())).isEqualTo(c);
        assertThat(c.toString()).doesNotContain(KEY);
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThatThrownBy(() -> CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:AAAA"))
                .isInstanceOf(SdesException.class).hasMessageContaining("30 bytes");
        assertThatThrownBy(() -> CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:not*base64"))
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> CryptoAttribute.parse("1 F8_128_HMAC_SHA1_80 inline:" + KEY))
                .hasMessageContaining("unsupported crypto suite");
        assertThatThrownBy(() -> CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:4"))
                .hasMessageContaining("MKI");
        assertThatThrownBy(() -> CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " UNENCRYPTED_SRTP"))
                .hasMessageContaining("session parameters");
        assertThatThrownBy(() -> CryptoAttribute.parse("x AES_CM_128_HMAC_SHA1_80 inline:" + KEY))
                .hasMessageContaining("tag");
        assertThatThrownBy(() -> CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80"))
                .hasMessageContaining("needs");
    }

    @Test
    void answerTakesTheFirstUsableLineWithItsTagAndANewKey() throws SdesException {
        Sdes.Keys keys = Sdes.answer(List.of("1 AES_256_CM_HMAC_SHA1_80 inline:" + KEY,
                "2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY, "3 AES_CM_128_HMAC_SHA1_80 inline:" + KEY), random);
        assertThat(keys.remote().tag()).isEqualTo(2);
        assertThat(keys.local().tag()).isEqualTo(2);
        assertThat(keys.local().suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_32);
        assertThat(keys.local().keySalt()).isNotEqualTo(keys.remote().keySalt());
    }

    @Test
    void answerWithoutAUsableLineNamesTheFirstReason() {
        assertThatThrownBy(() -> Sdes.answer(List.of("1 AES_CM_128_HMAC_SHA1_80 inline:AAAA"), random))
                .isInstanceOf(SdesException.class).hasMessageContaining("30 bytes");
        assertThatThrownBy(() -> Sdes.answer(List.of(), random)).hasMessageContaining("without a crypto");
    }

    @Test
    void offerPrefersTheEightyBitTagAndAcceptsOnlyWhatWasOffered() throws SdesException {
        List<CryptoAttribute> offer = Sdes.offer(random);
        assertThat(offer).extracting(CryptoAttribute::suite)
                .containsExactly(SrtpSuite.AES_CM_128_HMAC_SHA1_80, SrtpSuite.AES_CM_128_HMAC_SHA1_32);
        Sdes.Keys answer = Sdes.answer(offer.stream().map(CryptoAttribute::format).toList(), random);
        Sdes.Keys accepted = Sdes.accept(offer, List.of(answer.local().format()));
        assertThat(accepted.local()).isEqualTo(offer.get(0));
        assertThat(accepted.remote()).isEqualTo(answer.local());
        assertThatThrownBy(() -> Sdes.accept(offer, List.of("7 AES_CM_128_HMAC_SHA1_80 inline:" + KEY)))
                .hasMessageContaining("not offered");
        assertThatThrownBy(() -> Sdes.accept(offer, List.of())).hasMessageContaining("one crypto");
    }
}
