package io.tandem.backend.call;

import io.tandem.backend.node.sip.ReferProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.EventHeader;
import javax.sip.header.Header;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A REFER from the agent's phone on a queue offer this node carries over the trunk (RFC 3515): the caller's leg and
 * its records are the queue call's on the caller's node, which is the one to transfer its caller (the agent's
 * wrap-up, BLINDTRANSFER in the queue log, the call's record). So the REFER is passed on to it on the trunk leg, once
 * the transferor may call the number ({@link TransferAdmission}, as for a direct call's transfer); its answer comes
 * back to the agent, and so do the NOTIFYs of the subscription it creates ({@link #onNotify}). Runs under the
 * bridge's monitor.
 */
final class QueueOfferTransfer implements Referral {

    private static final Logger log = LoggerFactory.getLogger(QueueOfferTransfer.class);

    private final Bridge bridge;
    private final Leg agent;
    private final Leg trunk;
    private final ServerTransaction referSt;
    private ClientTransaction passedOn;

    private QueueOfferTransfer(Bridge bridge, Leg agent, Leg trunk, ServerTransaction referSt) {
        this.bridge = bridge;
        this.agent = agent;
        this.trunk = trunk;
        this.referSt = referSt;
    }

    /**
     * The agent's REFER to {@code number} (its Refer-To's user), on the queue offer of {@code bridge}; {@code blind}
     * false when the Refer-To names the consultation it replaces (RFC 3891), which the queue call joins its caller to.
     */
    static void onRefer(Bridge bridge, Leg from, ServerTransaction st, String number, boolean blind,
            TransferAdmission admission) {
        Signalling signalling = bridge.calls.signalling;
        Optional<TransferAdmission.Refusal> refusal = admission.refusal(bridge.tenant, from.party, number, blind);
        if (refusal.isPresent()) {
            signalling.respond(from, st, refusal.get().status(), refusal.get().reason(), null);
            return;
        }
        Leg trunk = bridge.other(from);
        List<Header> headers = new ArrayList<>(2);
        headers.add((Header) st.getRequest().getHeader(ReferToHeader.NAME).clone());
        Header referredBy = st.getRequest().getHeader("Referred-By");
        if (referredBy != null) {
            headers.add((Header) referredBy.clone());
        }
        ClientTransaction tx = trunk == null ? null
                : signalling.inDialog(trunk, Request.REFER, null, null, headers);
        if (tx == null) {
            signalling.respond(from, st, Response.SERVER_INTERNAL_ERROR, "Cannot reach the queue call", null);
            return;
        }
        QueueOfferTransfer transfer = new QueueOfferTransfer(bridge, from, trunk, st);
        transfer.passedOn = tx;
        bridge.transfer(transfer);
        log.info("call {}: agent {} transfers its queue caller to {}; passed on to the caller's node", bridge.id(),
                from.party, number);
    }

    /**
     * A NOTIFY on the trunk leg of a queue offer: the queue call's progress of its agent's transfer (RFC 3515
     * §2.4.4), relayed to the agent's phone with its Event, Subscription-State and sipfrag. Any other NOTIFY on a
     * call of ours is for no subscription we know → 481 (RFC 6665 §4.1.3).
     */
    static void onNotify(Bridge bridge, Leg from, ServerTransaction st) {
        synchronized (bridge) {
            Signalling signalling = bridge.calls.signalling;
            Leg agent = bridge.carriesQueueOffer() && from.isCaller() ? bridge.other(from) : null;
            if (agent == null) {
                signalling.respond(from, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "No such subscription",
                        null);
                return;
            }
            signalling.respond(from, st, Response.OK, null, null);
            Request notify = st.getRequest();
            List<Header> headers = new ArrayList<>(2);
            for (String name : List.of(EventHeader.NAME, SubscriptionStateHeader.NAME)) {
                Header header = notify.getHeader(name);
                if (header != null) {
                    headers.add((Header) header.clone());
                }
            }
            signalling.inDialog(agent, Request.NOTIFY,
                    ReferProgress.CONTENT_TYPE + "/" + ReferProgress.CONTENT_SUBTYPE, notify.getRawContent(),
                    headers);
        }
    }

    @Override
    public boolean owns(Leg leg, ClientTransaction tx) {
        return leg == trunk && tx != null && tx == passedOn;
    }

    /** The queue call's answer to the REFER is the agent's. */
    @Override
    public void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        if (response.getStatusCode() < Response.OK) {
            return;
        }
        passedOn = null;
        bridge.transfer(null);
        bridge.calls.signalling.respond(agent, referSt, response.getStatusCode(), response.getReasonPhrase(), null);
    }

    @Override
    public void onTimeout(ClientTransaction tx) {
        if (tx == passedOn) {
            passedOn = null;
            bridge.transfer(null);
            bridge.calls.signalling.respond(agent, referSt, Response.REQUEST_TIMEOUT, "The queue call did not answer",
                    null);
        }
    }

    @Override
    public boolean leaves(Leg leg) {
        return false;
    }

    @Override
    public void abandon(Bridge ended) {
        if (ended == bridge && passedOn != null) {
            bridge.calls.signalling.respond(agent, referSt, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "The queue call ended", null);
        }
    }
}
