package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.peers.BaresipEvent;
import io.tandem.telephony.peers.BaresipProcess;
import io.tandem.telephony.peers.Recording;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** baresip, a real softphone registered on node 1, calls our user agent registered on node 2: audio both ways. */
class BaresipCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void baresipOnNodeOneCallsOurPhoneOnNodeTwoWithAudio() throws Exception {
        try (TestNode n1 = Cluster.node(redis, "bs1");
             TestNode n2 = Cluster.node(redis, "bs2");
             Phone callee = Phone.registered(n2, "1012", 440, 700).answering();
             BaresipProcess baresip = BaresipProcess.builder().user("1011").sineSource(700).codecs("PCMU")
                     .registerTo(new InetSocketAddress("127.0.0.1", n1.sipPort()), "1011", TestNode.PASSWORD,
                             Duration.ofSeconds(600)).start()) {
            baresip.awaitEvent(BaresipEvent.REGISTER_OK, WAIT);
            baresip.dial("sip:1012@127.0.0.1:" + n1.sipPort());
            Call call = next(callee.incoming, "1012 rings on node 2");
            callee.awaitState(call, CallState.CONNECTED);
            baresip.awaitEvent(BaresipEvent.CALL_ESTABLISHED, WAIT);
            Await.until("1012 hears baresip's 700 Hz through both nodes", WAIT, () -> callee.ear.toneFrames() > 50);
            Await.until("baresip records 2 s of audio", WAIT,
                    () -> baresip.recordedWav().toFile().length() > 2 * 8000 * 2);
            baresip.hangup();
            callee.awaitState(call, CallState.ENDED);
            baresip.awaitEvent(BaresipEvent.CALL_CLOSED, WAIT);
            Recording heard = baresip.recording().skip(Duration.ofMillis(500));
            assertThat(heard.toneRatio(440)).as("baresip hears 1012's 440 Hz: %s", heard).isGreaterThan(0.5);
        }
    }
}
