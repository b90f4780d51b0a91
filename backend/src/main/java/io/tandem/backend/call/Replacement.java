package io.tandem.backend.call;

import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An INVITE with a Replaces header (RFC 3891) naming an established dialog of this node: the new caller takes that
 * leg's place in its call. The other party is re-INVITEd with the new caller's offer on its own relay port, its
 * answer goes back to the new caller in our 200 on the replaced party's relay port, and the replaced leg gets a BYE
 * (§3). Who may do it: the replaced leg's own party (moving its call to another device), or a caller that may call
 * the other party (the transferee of a REFER that a phone, not the node, carried out; RFC 5589 §7), or a node sending
 * it for the replaced leg's party (Referred-By, the queue call of an agent's attended transfer). An early-only
 * Replaces of an answered call → 486, no such dialog → 481 (§3). Runs under the call's monitor.
 */
final class Replacement implements Referral {

    private static final Logger log = LoggerFactory.getLogger(Replacement.class);
    /** The header of an INVITE naming the dialog it replaces (RFC 3891 §6.1). */
    static final String HEADER = "Replaces";
    /** RFC 3892: who referred the sender of the INVITE. */
    static final String REFERRED_BY = "Referred-By";
    private static final Pattern SIP_USER = Pattern.compile("sips?:([^@;>\\s]+)@");

    private final Bridge bridge;
    private final Leg replaced;
    private final Leg other;
    private final Leg newcomer;
    private final SessionDescription offer;
    private ClientTransaction otherTx;

    private Replacement(Bridge bridge, Leg replaced, Leg other, Leg newcomer, SessionDescription offer) {
        this.bridge = bridge;
        this.replaced = replaced;
        this.other = other;
        this.newcomer = newcomer;
        this.offer = offer;
    }

    /**
     * The INVITE of {@code caller} (authenticated, or signed by a node) whose Replaces header is {@code value}.
     * {@code st} opens its server transaction; {@code admission} says whether it may call a party; {@code viaTrunk}:
     * another node forwarded it (the dialog's index named this node, {@link DialogIndex}), so the newcomer is a leg
     * over the trunk and that node's call counts and records its party.
     */
    static void onInvite(Calls calls, InboundRequest in, String tenant, String caller, String value,
            TransferAdmission admission, boolean viaTrunk, Supplier<Optional<ServerTransaction>> st) {
        Optional<Replaces> replaces = Replaces.parse(value);
        if (replaces.isEmpty()) {
            in.respond(Response.BAD_REQUEST, "Replaces needs a Call-ID, to-tag and from-tag");
            return;
        }
        if (calls.find(callId(in.request())) != null) {
            in.respond(Response.LOOP_DETECTED, "This call is already here");
            return;
        }
        Leg replaced = calls.find(replaces.get().callId());
        if (replaced == null || !replaces.get().names(replaced)) {
            in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Replaces names no dialog of this node");
            return;
        }
        Bridge bridge = replaced.bridge;
        synchronized (bridge) {
            if (bridge.state() != Bridge.State.ANSWERED || !bridge.connects(replaced) || replaced.gone) {
                in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "The replaced dialog is over");
                return;
            }
            if (replaces.get().earlyOnly()) {
                in.respond(Response.BUSY_HERE, "The replaced dialog is established"); // RFC 3891 §3
                return;
            }
            if (bridge.transfer() != null) {
                in.respond(Response.REQUEST_PENDING, "A transfer is in progress");
                return;
            }
            Leg other = bridge.other(replaced);
            if (!bridge.tenant.equals(tenant) || other == null) {
                in.respond(Response.FORBIDDEN, "Not a call of this tenant");
                return;
            }
            String onBehalfOf = viaTrunk ? referredBy(in.request()).orElse(caller) : caller;
            if (!onBehalfOf.equals(replaced.party)) {
                Optional<TransferAdmission.Refusal> refusal = admission.refusal(tenant, onBehalfOf, other.party,
                        false);
                if (refusal.isPresent()) {
                    in.respond(refusal.get().status(), refusal.get().reason());
                    return;
                }
            }
            Optional<SessionDescription> offer = SdpRewriter.sdpOf(in.request());
            if (offer.isEmpty() || !SdpRewriter.relayable(offer.get())) {
                in.respond(Response.NOT_ACCEPTABLE_HERE, "An SDP offer with plain RTP audio is required");
                return;
            }
            Optional<ServerTransaction> tx = st.get();
            if (tx.isEmpty()) {
                return;
            }
            Leg newcomer = new Leg(bridge, Leg.Side.CALLER, callId(in.request()), caller);
            newcomer.inviteSt = tx.get();
            newcomer.trunk = viaTrunk;
            newcomer.invite = in.request();
            newcomer.toTag = SipMessages.newToken();
            newcomer.remoteSdp = offer.get();
            try {
                newcomer.dialog = calls.signalling.endpoint().provider().getNewDialog(tx.get());
            } catch (Exception e) {
                log.warn("call {}: cannot create the dialog of {}'s replacing INVITE: {}", bridge.id(), caller,
                        e.getMessage());
                in.respond(Response.SERVER_INTERNAL_ERROR, "Cannot create the dialog");
                return;
            }
            calls.register(newcomer);
            calls.signalling.respond(newcomer, tx.get(), Response.TRYING, null, null);
            Replacement replacement = new Replacement(bridge, replaced, other, newcomer, offer.get());
            bridge.transfer(replacement);
            replacement.start();
        }
    }

    private void start() {
        log.info("call {}: {} replaces {} (RFC 3891) opposite {}", bridge.id(), newcomer.party, replaced.party,
                other.party);
        Signalling signalling = bridge.calls.signalling;
        String sdp = SdpRewriter.rewrite(offer, signalling.host(), bridge.relayLeg(other).localAddress().getPort(),
                other);
        otherTx = signalling.inDialog(other, Request.INVITE, Signalling.SDP, sdp.getBytes(StandardCharsets.UTF_8));
        if (otherTx == null) {
            refuse(Response.SERVER_INTERNAL_ERROR, "Cannot reach the other party");
        }
    }

    @Override
    public boolean owns(Leg leg, ClientTransaction tx) {
        return leg == other && tx != null && tx == otherTx;
    }

    @Override
    public boolean leaves(Leg leg) {
        return leg == replaced;
    }

    @Override
    public void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < Response.OK) {
            return;
        }
        otherTx = null;
        if (status >= Response.MULTIPLE_CHOICES) {
            refuse(status, response.getReasonPhrase());
            return;
        }
        Dialog dialog = event.getDialog() != null ? event.getDialog() : other.dialog();
        bridge.calls.signalling.ack(other, dialog, ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber());
        Optional<SessionDescription> answer = SdpRewriter.sdpOf(response);
        Optional<SdpRewriter.Agreed> agreed = answer.flatMap(SdpRewriter::agreed);
        if (agreed.isEmpty()) {
            refuse(Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here");
            return;
        }
        SdpRewriter.Agreed a = agreed.get();
        other.remoteSdp = answer.get();
        bridge.relayLeg(other).configure(SdpRewriter.remoteRtp(answer.get()).orElse(null), a.codec(),
                a.telephoneEventPayloadType());
        bridge.relayLeg(replaced).configure(SdpRewriter.remoteRtp(offer).orElse(null), a.codec(),
                a.telephoneEventPayloadType());
        Signalling signalling = bridge.calls.signalling;
        signalling.respond(newcomer, newcomer.inviteSt, Response.OK, null, SdpRewriter.rewrite(offer, answer.get(),
                signalling.host(), bridge.relayLeg(replaced).localAddress().getPort(), newcomer));
        bridge.replace(replaced, newcomer);
        bridge.calls.replaced(bridge, replaced, newcomer);
        bridge.transferred(replaced.party, newcomer.party, "replaces");
        bridge.transfer(null);
        signalling.bye(replaced);
        replaced.gone = true;
        bridge.calls.forget(replaced);
        log.info("call {}: {} now talks to {}", bridge.id(), other.party, newcomer.party);
    }

    /** The other party did not take the new offer: the newcomer is refused, the call goes on as it was. */
    private void refuse(int status, String reason) {
        bridge.transfer(null);
        bridge.calls.forget(newcomer);
        bridge.calls.signalling.respond(newcomer, newcomer.inviteSt, status, reason, null);
    }

    @Override
    public void onTimeout(ClientTransaction tx) {
        if (tx == otherTx) {
            otherTx = null;
            refuse(Response.REQUEST_TIMEOUT, "Request Timeout");
        }
    }

    @Override
    public void abandon(Bridge ended) {
        if (ended == bridge) {
            bridge.calls.forget(newcomer);
            bridge.calls.signalling.respond(newcomer, newcomer.inviteSt, Response.REQUEST_TERMINATED, null, null);
        }
    }

    /**
     * The transferor a node's INVITE is sent for (RFC 3892 Referred-By, its user): a queue call joining its caller to
     * its agent's consultation (RFC 5589 §7) names the agent, so the agent's own dialog is replaced on its own
     * behalf, whoever the caller is. Believed from a signed trunk request only.
     */
    private static Optional<String> referredBy(Request request) {
        Header header = request.getHeader(REFERRED_BY);
        if (header == null) {
            return Optional.empty();
        }
        Matcher user = SIP_USER.matcher(header.toString());
        return user.find() ? Optional.of(user.group(1)) : Optional.empty();
    }

    private static String callId(Request request) {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }
}
