package io.tandem.backend.call;

import io.tandem.telephony.sdp.Origin;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Replaces join (RFC 3891 §3, as {@link Replacement} does it) when the newcomer is a feature of this node rather
 * than an INVITE: a queue call joining its caller to the colleague its agent consulted, both phones on this node
 * (RFC 5589 §7). The colleague is re-INVITEd with the taker's own offer (its stream on this node, not this call's
 * relay: the consultation ends); on its answer the colleague's dialog is handed to the taker ({@link
 * ConsultationTaker}), the replaced agent's leg gets the BYE the newcomer's acceptance means, and the consultation
 * ends as {@code transferred}, recorded with the transfer. A refusal or a timeout leaves the consultation as it
 * was. Runs under the consultation's monitor.
 */
final class ConsultationHandover implements Referral {

    private static final Logger log = LoggerFactory.getLogger(ConsultationHandover.class);

    private final Bridge bridge;
    private final Leg replaced;
    private final Leg colleague;
    /** Who takes the replaced party's place (the queue caller's number), for the consultation's record. */
    private final String newcomer;
    private final ConsultationTaker taker;
    private ClientTransaction tx;
    private boolean over;

    private ConsultationHandover(Bridge bridge, Leg replaced, Leg colleague, String newcomer,
            ConsultationTaker taker) {
        this.bridge = bridge;
        this.replaced = replaced;
        this.colleague = colleague;
        this.newcomer = newcomer;
        this.taker = taker;
    }

    /**
     * Starts the handover of {@code replaced}'s consultation partner {@code colleague} (answered, connected) to
     * {@code taker}, re-INVITEing it with {@code offer}; false when the offer is no SDP or the re-INVITE could not be
     * sent (nothing changed). Under the bridge's monitor, with no transfer in progress.
     */
    static boolean start(Bridge bridge, Leg replaced, Leg colleague, String newcomer, String offer,
            ConsultationTaker taker) {
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(offer);
        } catch (SdpException e) {
            log.warn("call {}: the offer to hand {} over with is no SDP: {}", bridge.id(), colleague.party,
                    e.getMessage());
            return false;
        }
        // RFC 3264 §8: a re-offer keeps the session's origin, its version one up; the media are the taker's own.
        sdp = sdp.withOrigin(new Origin("tandem", colleague.sdpSessionId(),
                Long.toString(colleague.nextSdpVersion()), sdp.origin().address()));
        ConsultationHandover handover = new ConsultationHandover(bridge, replaced, colleague, newcomer, taker);
        handover.tx = bridge.calls.signalling.inDialog(colleague, Request.INVITE, Signalling.SDP,
                sdp.encode().getBytes(StandardCharsets.UTF_8));
        if (handover.tx == null) {
            return false;
        }
        bridge.transfer(handover);
        log.info("call {}: {} replaces {} (RFC 3891) opposite {}, joined on this node", bridge.id(), newcomer,
                replaced.party, colleague.party);
        return true;
    }

    @Override
    public boolean owns(Leg leg, ClientTransaction sent) {
        return leg == colleague && sent != null && sent == tx;
    }

    @Override
    public boolean leaves(Leg leg) {
        return leg == replaced; // RFC 5589 §7: the transferor may hang up its consultation meanwhile
    }

    @Override
    public void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < Response.OK || over) {
            return;
        }
        tx = null;
        over = true;
        bridge.transfer(null);
        if (status >= Response.MULTIPLE_CHOICES) {
            log.info("call {}: {} refused the join with {}: {} {}", bridge.id(), colleague.party, newcomer, status,
                    response.getReasonPhrase());
            taker.refused(status, response.getReasonPhrase());
            return;
        }
        Dialog dialog = event.getDialog() != null ? event.getDialog() : colleague.dialog();
        bridge.calls.signalling.ack(colleague, dialog, ((CSeqHeader) response.getHeader(CSeqHeader.NAME))
                .getSeqNumber());
        // The taker owns the colleague's dialog before this call forgets it, so no request of it finds nobody; a BYE
        // that found the colleague's leg here and waits for this monitor is passed on to it (B2bua#bye).
        colleague.handedOn = true;
        taker.tookOver(colleague.branch, SipMessages.bodyText(response),
                bridge.calls.passedOn(bridge, colleague.party, newcomer));
        if (!replaced.gone) {
            bridge.calls.signalling.bye(replaced); // RFC 3891 §3: the replaced dialog ends
            replaced.gone = true;
        }
        bridge.transferred(replaced.party, newcomer, "attended");
        bridge.handedOver();
        log.info("call {}: {} now talks to {} through its queue call", bridge.id(), colleague.party, newcomer);
    }

    @Override
    public void onTimeout(ClientTransaction timedOut) {
        if (timedOut != tx || over) {
            return;
        }
        tx = null;
        over = true;
        bridge.transfer(null);
        taker.refused(Response.REQUEST_TIMEOUT, "Request Timeout");
    }

    /** The consultation ended under the re-INVITE (the colleague hung up): the taker gets nothing. */
    @Override
    public void abandon(Bridge ended) {
        if (ended != bridge || over) {
            return;
        }
        over = true;
        taker.refused(Response.REQUEST_TERMINATED, "The consultation ended");
    }
}
