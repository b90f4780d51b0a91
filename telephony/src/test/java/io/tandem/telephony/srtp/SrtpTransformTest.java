package io.tandem.telephony.srtp;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class SrtpTransformTest {
    private final SecureRandom random = new SecureRandom();

    private static byte[] rtp(int seq, byte fill) {
        byte[] buf = new byte[12 + 160 + SrtpTransform.HEADROOM];
        buf[0] = (byte) 0x80;
        buf[1] = 0; // PCMU
        buf[2] = (byte) (seq >> 8);
        buf[3] = (byte) seq;
        buf[7] = (byte) (seq * 160);
        buf[8] = 0x12;
        buf[11] = 0x34;
        Arrays.fill(buf, 12, 172, fill);
        return buf;
    }

    @Test
    void protectedRtpIsEncryptedAndTaggedAndComesBackWhole() {
        for (SrtpSuite suite : SrtpSuite.values()) {
            CryptoAttribute key = CryptoAttribute.generate(1, suite, random);
            SrtpTransform out = SrtpTransform.protecting(key);
            SrtpTransform in = SrtpTransform.unprotecting(key);
            for (int seq = 1; seq <= 3; seq++) {
                byte[] plain = rtp(seq, (byte) 0x55);
                byte[] buf = plain.clone();
                int protectedLength = out.rtp(buf, 172);
                assertThat(protectedLength).isEqualTo(172 + suite.srtpTagLength());
                assertThat(Arrays.copyOfRange(buf, 0, 12)).isEqualTo(Arrays.copyOfRange(plain, 0, 12));
                assertThat(Arrays.copyOfRange(buf, 12, 172)).isNotEqualTo(Arrays.copyOfRange(plain, 12, 172));
                assertThat(in.rtp(buf, protectedLength)).isEqualTo(172);
                assertThat(Arrays.copyOfRange(buf, 0, 172)).isEqualTo(Arrays.copyOfRange(plain, 0, 172));
            }
            assertThat(in.refused()).isZero();
        }
    }

    @Test
    void tamperedReplayedAndWronglyKeyedPacketsAreRefusedAndCounted() {
        CryptoAttribute key = CryptoAttribute.generate(1, SrtpSuite.AES_CM_128_HMAC_SHA1_80, random);
        SrtpTransform out = SrtpTransform.protecting(key);
        SrtpTransform in = SrtpTransform.unprotecting(key);

        byte[] tampered = rtp(1, (byte) 1);
        int len = out.rtp(tampered, 172);
        tampered[40] ^= 1;
        assertThat(in.rtp(tampered, len)).isEqualTo(SrtpTransform.REFUSED);
        assertThat(in.authFailures()).isEqualTo(1);

        byte[] good = rtp(2, (byte) 1);
        len = out.rtp(good, 172);
        byte[] copy = good.clone();
        assertThat(in.rtp(good, len)).isEqualTo(172);
        assertThat(in.rtp(copy, len)).isEqualTo(SrtpTransform.REFUSED);
        assertThat(in.replayed()).isEqualTo(1);

        SrtpTransform stranger = SrtpTransform.unprotecting(
                CryptoAttribute.generate(1, SrtpSuite.AES_CM_128_HMAC_SHA1_80, random));
        byte[] other = rtp(3, (byte) 1);
        len = out.rtp(other, 172);
        assertThat(stranger.rtp(other, len)).isEqualTo(SrtpTransform.REFUSED);
        assertThat(stranger.authFailures()).isEqualTo(1);
        assertThat(in.rtp(new byte[8], 8)).isEqualTo(SrtpTransform.REFUSED);
        assertThat(in.malformed()).isEqualTo(1);
    }

    @Test
    void rtcpRoundTrips() {
        CryptoAttribute key = CryptoAttribute.generate(1, SrtpSuite.AES_CM_128_HMAC_SHA1_32, random);
        SrtpTransform out = SrtpTransform.protecting(key);
        SrtpTransform in = SrtpTransform.unprotecting(key);
        byte[] rr = new byte[8 + SrtpTransform.HEADROOM];
        rr[0] = (byte) 0x80;
        rr[1] = (byte) 201;
        rr[3] = 1;
        rr[7] = 9;
        byte[] plain = rr.clone();
        int len = out.rtcp(rr, 8);
        assertThat(len).isEqualTo(8 + 4 + 10);
        assertThat(in.rtcp(rr, len)).isEqualTo(8);
        assertThat(Arrays.copyOf(rr, 8)).isEqualTo(Arrays.copyOf(plain, 8));
    }
}
