package io.tandem.telephony.ua;

import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.sip.TlsSettings;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.TestCertificates;
import io.tandem.telephony.testing.ToneCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two of our user agents over SIP/TLS (RFC 3261 §26) with SDES-keyed SRTP (RFC 4568): audio both ways. */
class TlsSrtpCallIT {
    private static final Duration AUDIO = Duration.ofSeconds(20);
    private final Phones phones = new Phones();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        phones.close();
    }

    private UserAgentConfig tls(String user, Path own, Path trusted, boolean srtp) {
        return UserAgentConfig.of(user, "tandem.test").withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1))
                .withTls(new TlsSettings(0, own, TestCertificates.PASSWORD, trusted, TestCertificates.PASSWORD))
                .withSrtp(srtp);
    }

    @Test
    void anSrtpCallOverTlsCarriesTonesBothWays() throws Exception {
        Path bobCert = TestCertificates.selfSigned(dir, "bob");
        Path aliceCert = TestCertificates.selfSigned(dir, "alice");
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener().answering();
        UserAgent alice = phones.start(tls("alice", aliceCert, bobCert, true), aliceEvents);
        UserAgent bob = phones.start(tls("bob", bobCert, aliceCert, true), bobEvents);

        ToneCount aliceHears = new ToneCount(440);
        ToneCount bobHears = new ToneCount(1000);
        Call aliceCall = alice.call(bob.contactUri("tls"));
        aliceCall.setSource(new SineSource(1000, 8000));
        aliceCall.setSink(aliceHears);
        Call bobCall = bobEvents.incoming.poll(20, TimeUnit.SECONDS);
        assertThat(bobCall).as("incoming call at bob over TLS").isNotNull();
        bobCall.setSource(new SineSource(440, 8000));
        bobCall.setSink(bobHears);
        aliceEvents.awaitState(aliceCall, CallState.CONNECTED);

        assertThat(aliceCall.srtp()).isTrue();
        assertThat(bobCall.srtp()).isTrue();
        Await.until("bob hears alice's 1 kHz through SRTP", AUDIO, () -> bobHears.toneFrames() > 25);
        Await.until("alice hears bob's 440 Hz through SRTP", AUDIO, () -> aliceHears.toneFrames() > 25);
        aliceCall.hangup();
        bobEvents.awaitState(bobCall, CallState.ENDED);
    }

    @Test
    void aPlainAnswererTurnsAnSrtpOfferDown() throws Exception {
        Path bobCert = TestCertificates.selfSigned(dir, "bob");
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener().answering();
        UserAgent alice = phones.start(tls("alice", bobCert, bobCert, true), aliceEvents);
        UserAgent bob = phones.start(tls("bob", bobCert, bobCert, false), bobEvents);

        Call call = alice.call(bob.contactUri("tls"));
        aliceEvents.awaitState(call, CallState.ENDED);
        assertThat(call.endStatus()).isEqualTo(488); // RFC 3264 §6: nothing offered is acceptable
    }
}
