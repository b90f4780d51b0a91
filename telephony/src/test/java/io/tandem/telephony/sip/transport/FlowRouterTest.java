package io.tandem.telephony.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.HopImpl;
import java.net.InetAddress;
import java.util.List;
import java.util.ListIterator;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class FlowRouterTest {

    private static final String PHONE_CONTACT = "sip:1001@10.0.0.5:5061;transport=tls";

    private final SipFactory sip = SipFactory.getInstance();
    private final FlowRouter router = new FlowRouter(new ToRequestUri());

    FlowRouterTest() {
        sip.setPathName("gov.nist");
    }

    @Test
    void aRequestInTheDialogGoesToTheSourceOfThePeersInviteOverTheSameTransport() throws Exception {
        router.learn(message(Request.INVITE, "tls", "call-1", "phone-tag", null, "203.0.113.7", 40123), "phone-tag");

        Hop hop = router.getNextHop((Request) message(Request.BYE, "tls", "call-1", "node-tag", "phone-tag", null, 0));

        assertThat(List.of(hop.getHost(), hop.getPort(), hop.getTransport().toLowerCase()))
                .containsExactly("203.0.113.7", 40123, "tls");
    }

    @Test
    void anotherDialogAUdpInviteAndAForgottenDialogGoToTheContact() throws Exception {
        router.learn(message(Request.INVITE, "tls", "call-1", "phone-tag", null, "203.0.113.7", 40123), "phone-tag");
        router.learn(message(Request.INVITE, "udp", "call-2", "udp-tag", null, "203.0.113.8", 5060), "udp-tag");

        Hop otherTag = router.getNextHop((Request) message(Request.BYE, "tls", "call-1", "n", "other", null, 0));
        router.forget("call-1", "phone-tag");
        Hop forgotten = router.getNextHop((Request) message(Request.BYE, "tls", "call-1", "n", "phone-tag", null, 0));

        assertThat(otherTag.getHost()).isEqualTo("10.0.0.5");
        assertThat(forgotten.getHost()).isEqualTo("10.0.0.5");
        assertThat(router.size()).as("a UDP INVITE leaves no flow").isZero();
    }

    /** A request from {@code fromTag} to {@code toTag} whose Request-URI is the phone's Contact. */
    private SIPMessage message(String method, String transport, String callId, String fromTag, String toTag,
            String sourceAddress, int sourcePort) throws Exception {
        AddressFactory addresses = sip.createAddressFactory();
        HeaderFactory headers = sip.createHeaderFactory();
        MessageFactory messages = sip.createMessageFactory();
        SipURI target = (SipURI) addresses.createURI(PHONE_CONTACT);
        Request request = messages.createRequest(target, method, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, method),
                headers.createFromHeader(addresses.createAddress("sip:a@example.com"), fromTag),
                headers.createToHeader(addresses.createAddress("sip:b@example.com"), toTag),
                List.of(headers.createViaHeader("10.0.0.5", 5061, transport, "z9hG4bK-" + callId)),
                headers.createMaxForwardsHeader(70));
        SIPMessage message = (SIPMessage) request;
        if (sourceAddress != null) {
            message.setRemoteAddress(InetAddress.getByName(sourceAddress));
            message.setRemotePort(sourcePort);
        }
        return message;
    }

    /** What the RI's router does for a request without Route headers: the Request-URI's host, port and transport. */
    private static final class ToRequestUri implements Router {
        @Override
        public Hop getNextHop(Request request) {
            SipURI uri = (SipURI) request.getRequestURI();
            return new HopImpl(uri.getHost(), uri.getPort(), uri.getTransportParam());
        }

        @Override
        public Hop getOutboundProxy() {
            return null;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public ListIterator getNextHops(Request request) {
            return List.of(getNextHop(request)).listIterator();
        }
    }
}
