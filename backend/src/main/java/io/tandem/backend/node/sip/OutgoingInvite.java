package io.tandem.backend.node.sip;

import java.util.List;
import javax.sip.header.Header;

/**
 * What a feature says about an INVITE it sends; {@link NodeSignalling#invite} builds the rest (Via and Contact with
 * the node's advertised address, the trunk signature).
 *
 * @param requestUri     where the INVITE goes: a phone's contact, or another node's SIP address
 * @param transport      {@code udp} or {@code tcp}
 * @param viaTrunk       the target is another node of the cluster: the INVITE is signed for {@code toUser@tenant}
 * @param fromUser       the user of From and of our Contact
 * @param fromDisplay    From's display name, or null
 * @param toUser         the user of To (and the extension the trunk signature names)
 * @param tenant         the tenant the trunk signature names
 * @param assertIdentity add P-Asserted-Identity with the From (RFC 3325 §9.1: our nodes and phones trust the node)
 * @param headers        further headers, set as they are
 * @param sdp            the SDP offer
 * @param routeSet       pre-loaded Route entries, first hop first (RFC 3261 §8.1.2, from a Path: RFC 3327 §5.3);
 *                       the INVITE goes to the first of them; empty: straight to the Request-URI
 */
public record OutgoingInvite(String requestUri, String transport, boolean viaTrunk, String fromUser,
        String fromDisplay, String toUser, String tenant, boolean assertIdentity, List<Header> headers, String sdp,
        List<String> routeSet) {

    public OutgoingInvite {
        headers = List.copyOf(headers);
        routeSet = routeSet == null ? List.of() : List.copyOf(routeSet);
    }

    public OutgoingInvite(String requestUri, String transport, boolean viaTrunk, String fromUser, String fromDisplay,
            String toUser, String tenant, boolean assertIdentity, List<Header> headers, String sdp) {
        this(requestUri, transport, viaTrunk, fromUser, fromDisplay, toUser, tenant, assertIdentity, headers, sdp,
                List.of());
    }

    /** This INVITE sent through {@code route} (a Path the phone registered through). */
    public OutgoingInvite routedThrough(List<String> route) {
        return new OutgoingInvite(requestUri, transport, viaTrunk, fromUser, fromDisplay, toUser, tenant,
                assertIdentity, headers, sdp, route);
    }
}
