package io.tandem.backend.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.registrar.Binding;
import io.tandem.backend.registrar.Bindings;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIP over secure WebSocket at the edge (RFC 7118), as a browser uses it: the WebSocket handshake with the "sip"
 * subprotocol, a REGISTER whose Contact names an invented host, stored by the node with a Path leading back over
 * the WebSocket; a call to it arrives on that WebSocket with rtpengine's WebRTC offer (DTLS-SRTP, RFC 5763, and
 * ICE: {@code UDP/TLS/RTP/SAVPF}, a fingerprint, candidates, RTCP multiplexed, no SDES keys), while the caller's
 * side stays plain RTP.
 */
class EdgeWssIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void aBrowserLikePhoneRegistersOverWssAndIsOfferedWebRtcMedia() throws Exception {
        int rtp = FreePorts.alignedBlock(20);
        try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=edge-wss",
                "tandem.node.cluster-secret=edge-wss-cluster-secret-0123456789", "tandem.sip.rtp-port-min=" + rtp,
                "tandem.sip.rtp-port-max=" + (rtp + 19), "tandem.registrar.flood-threshold=100000");
             EdgeProcess edge = EdgeProcess.start(List.of(node.sipPort()), true, List.of(EdgeProcess.WSS));
             WebSocketPhone browser = WebSocketPhone.connect(edge, "1007");
             EdgePhone caller = EdgePhone.register(edge, "1008", 440, 1000)) {
            assertThat(browser.subprotocol()).isEqualTo("sip");
            assertThat(browser.register(TestNode.PASSWORD)).as("the final answer to the REGISTER over WSS")
                    .startsWith("SIP/2.0 200");
            Await.until("1007 has a binding", EdgePhone.WAIT,
                    () -> !node.bean(Bindings.class).lookup("demo", "1007").isEmpty());
            Binding binding = node.bean(Bindings.class).lookup("demo", "1007").get(0);
            // The Path's received parameter (escaped in it, RFC 3261 §19.1.2) names the browser's WebSocket.
            assertThat(binding.path()).as("1007's path").singleElement().asString()
                    .contains("received=sip:127.0.0.1:").contains("transport%3Dws");

            Call out = caller.dial(edge, "1007");
            String invite = browser.nextRequest("INVITE", EdgePhone.WAIT);
            String sdp = invite.substring(invite.indexOf("\r\n\r\n") + 4);
            assertThat(sdp).as("the offer a browser gets").contains("m=audio").contains("UDP/TLS/RTP/SAVPF")
                    .contains("a=fingerprint:").contains("a=ice-ufrag:").contains("a=candidate:")
                    .contains("a=rtcp-mux").doesNotContain("a=crypto:").doesNotContain("RTP/AVP ");
            browser.send(WebSocketPhone.reply(invite, 486, "Busy Here"));
            caller.awaitState(out, CallState.ENDED);
        } finally {
            FreePorts.release(rtp, 20);
        }
    }
}
