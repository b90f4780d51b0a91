package io.tandem.backend.node.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import javax.sip.InvalidArgumentException;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.SubscriptionStateHeader;

/**
 * What a NOTIFY of the implicit subscription a REFER creates carries (RFC 3515 §2.4.4): {@code Event: refer}, the
 * subscription's state (active, or terminated with the last one) and the new call's status as a
 * {@code message/sipfrag} body (RFC 5589 §6: 100, then the final status). One form for every transfer the node
 * carries out: a direct call's ({@code call.ReferSubscription}) and a queue call's.
 */
public final class ReferProgress {

    public static final String CONTENT_TYPE = "message";
    public static final String CONTENT_SUBTYPE = "sipfrag";

    private ReferProgress() {
    }

    /** The Event and Subscription-State headers; the last NOTIFY ({@code terminated}) ends the subscription. */
    public static List<Header> headers(HeaderFactory headers, boolean terminated)
            throws ParseException, InvalidArgumentException {
        SubscriptionStateHeader state = headers.createSubscriptionStateHeader(
                terminated ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
        if (terminated) {
            state.setReasonCode(SubscriptionStateHeader.NO_RESOURCE);
        } else {
            state.setExpires(60);
        }
        return List.of(headers.createEventHeader("refer"), state);
    }

    /** The sipfrag of a status line. */
    public static byte[] body(int status, String reason) {
        return ("SIP/2.0 " + status + " " + reason + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
