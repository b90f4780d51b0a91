package io.tandem.agent.engine.pjsua2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SipHeadersTest {
    private static final String INVITE = "INVITE sip:1001@127.0.0.1:5070 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
            + "x-tandem-offer:  offer-42 \r\n"
            + "Content-Type: application/sdp\r\n"
            + "\r\n"
            + "X-Tandem-Offer: in-the-body\r\n";

    @Test
    void findsAHeaderWhateverItsCaseAndTrimsIt() {
        assertThat(SipHeaders.value(INVITE, "X-Tandem-Offer")).isEqualTo("offer-42");
    }

    @Test
    void anAbsentHeaderIsEmptyAndTheBodyIsNotSearched() {
        String noOffer = INVITE.replace("x-tandem-offer:  offer-42 \r\n", "");
        assertThat(SipHeaders.value(noOffer, "X-Tandem-Offer")).isEmpty();
        assertThat(SipHeaders.value(null, "X-Tandem-Offer")).isEmpty();
    }

    @Test
    void readsTheStatusOfAResponse() {
        assertThat(NodeProbe.status("SIP/2.0 200 OK\r\n")).isEqualTo(200);
        assertThat(NodeProbe.status("SIP/2.0 503 Service Unavailable\r\n")).isEqualTo(503);
        assertThat(NodeProbe.status("OPTIONS sip:x SIP/2.0\r\n")).isZero();
        assertThat(NodeProbe.alive(200)).isTrue();
        assertThat(NodeProbe.alive(404)).as("any answer but 408/503 means the node is up").isTrue();
        assertThat(NodeProbe.alive(503)).isFalse();
        assertThat(NodeProbe.alive(0)).isFalse();
    }

    @Test
    void aRegistrarUriGivesTheNodesAddress() {
        assertThat(NodeProbe.address("sip:127.0.0.1:5070;transport=udp").getPort()).isEqualTo(5070);
        assertThat(NodeProbe.address("sip:127.0.0.1").getPort()).isEqualTo(5060);
    }
}
