package io.tandem.backend.call;

import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.OutgoingInvite;
import io.tandem.backend.trunk.CarrierCredentials;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * What the B2BUA sends beyond what every feature sends ({@link NodeSignalling}): responses on a leg's dialog, a
 * callee branch's INVITE with what a queue offer crossing the trunk carries, requests inside a leg's dialog with the
 * party the leg faces in our Contact, and the ACKs of re-INVITEs. Sending failures are counted and logged by
 * {@link NodeSignalling} and reported as false/null, never thrown at the call logic.
 */
final class Signalling {

    static final String SDP = NodeSignalling.SDP;

    /** Headers a node of the cluster set for the callee's phone (a queue offer): passed on only from the trunk. */
    static final List<String> PASSED_FROM_TRUNK = List.of(Bridge.QUEUE_OFFER_HEADER, "P-Asserted-Identity");

    private final NodeSignalling node;

    Signalling(NodeSignalling node) {
        this.node = node;
    }

    SipEndpoint endpoint() {
        return node.endpoint();
    }

    String host() {
        return node.host();
    }

    /**
     * Answers a request of the leg's dialog; the caller leg's INVITE is answered with its dialog's To tag, and 1xx/2xx
     * to INVITE carry our Contact (RFC 3261 §12.1.1); responses on a trunk leg name this node; a 2xx to an INVITE or
     * UPDATE of a leg with a session timer carries its interval and refresher (RFC 4028 §9).
     */
    boolean respond(Leg leg, ServerTransaction st, int status, String reason, String sdp) {
        String method = st.getRequest().getMethod();
        List<Header> extra = leg.sessionTimer != null && status >= 200 && status < 300
                && (Request.INVITE.equals(method) || Request.UPDATE.equals(method))
                ? leg.sessionTimer.headers(endpoint().messages().headers()) : List.of();
        return node.respond(st, status, reason, st == leg.inviteSt ? leg.toTag : null, leg.party, sdp, leg.trunk,
                extra);
    }

    /** Sends a response through its transaction and counts it. */
    boolean send(ServerTransaction st, Response response, boolean trunkLeg) {
        return node.send(st, response, trunkLeg);
    }

    /**
     * Sends a callee branch's INVITE: its own Call-ID, From the caller, To the callee, our Contact, the rewritten
     * offer; signed with the trunk headers when the target is another node.
     */
    boolean invite(Leg branch, String caller, String tenant, String sdp) {
        branch.branch = node.branch(branch.callId);
        Request from = branch.bridge.inboundTrunk ? branch.bridge.callerLeg.invite : null;
        // A carrier sees the number its trunk's caller-id rule presents, never an extension.
        String fromUser = branch.seizure != null ? branch.seizure.callerNumber() : caller;
        List<Header> headers = passedOn(from);
        if (branch.replaces != null) {
            headers.add(node.header(Replacement.HEADER, branch.replaces));
        }
        if (branch.referredBy != null) {
            headers.add(node.header(Replacement.REFERRED_BY, "<sip:" + branch.referredBy + "@" + host() + ">"));
        }
        return node.invite(branch.branch, new OutgoingInvite(branch.target.requestUri(), branch.target.transport(),
                branch.target.viaTrunk(), fromUser, displayOf(from), branch.party, tenant, false, headers, sdp)
                .routedThrough(branch.target.routeSet()));
    }

    /**
     * RFC 3261 §22.2: a carrier challenged a carrier branch's INVITE; it goes again with the trunk's credentials
     * ({@link CarrierCredentials}), the next CSeq, a new Via branch, the same Call-ID and From tag. False when the
     * branch has nothing to answer with (no credentials, or the nonce it already answered: wrong credentials) or the
     * INVITE could not be sent again; the challenge is then the branch's outcome.
     */
    boolean answerChallenge(Leg branch, ClientTransaction challenged, Response challenge) {
        Request sent = challenged.getRequest();
        Optional<CarrierCredentials.Answer> answer = branch.seizure.credentials().answer(challenge, Request.INVITE,
                sent.getRequestURI().toString());
        if (answer.isEmpty()) {
            return false;
        }
        Request again = (Request) sent.clone();
        try {
            CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ((ViaHeader) again.getHeader(ViaHeader.NAME)).setBranch(SipMessages.newBranch());
        } catch (Exception e) {
            node.failed("invite", "with credentials on " + branch, e);
            return false;
        }
        again.setHeader(node.header(answer.get().header(), answer.get().value()));
        return branch.branch.retry(challenged, again);
    }

    /** The branch's INVITE again with {@code sdp}, after {@code refused}'s refusal ({@link NodeSignalling#inviteAgain}). */
    boolean inviteAgain(Leg branch, ClientTransaction refused, String sdp) {
        return node.inviteAgain(branch.branch, refused, sdp);
    }

    /**
     * A queue offer crossing the trunk keeps what the caller's node said about it: the offer id the softphone
     * matches with its WebSocket offer, the caller's identity (RFC 3325 §9.1, trusted between our nodes) and the
     * From display name.
     */
    private static List<Header> passedOn(Request from) {
        List<Header> headers = new ArrayList<>(PASSED_FROM_TRUNK.size());
        if (from != null) {
            for (String name : PASSED_FROM_TRUNK) {
                Header header = from.getHeader(name);
                if (header != null) {
                    headers.add((Header) header.clone());
                }
            }
        }
        return headers;
    }

    private static String displayOf(Request from) {
        return from == null ? null : ((FromHeader) from.getHeader(FromHeader.NAME)).getAddress().getDisplayName();
    }

    /** RFC 3261 §13.2.2.4: the ACK of a re-INVITE's 2xx is the dialog's own request; kept for a retransmission. */
    void ack(Leg leg, Dialog dialog, long cseq) {
        try {
            Request ack = dialog.createAck(cseq);
            leg.reinviteAck = ack;
            leg.reinviteAckCseq = cseq;
            dialog.sendAck(ack);
        } catch (Exception e) {
            node.failed("ack", "on " + leg, e);
        }
    }

    /**
     * A 2xx retransmitted after its transaction ended gets the ACK its first copy got: the branch's for the initial
     * INVITE, the leg's for a re-INVITE (told apart by CSeq).
     */
    void reack(Leg leg, Response response) {
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        if (leg.branch != null) {
            leg.branch.onResponse(null, null, response.getStatusCode(), cseq);
        }
        if (leg.reinviteAck != null && leg.reinviteAckCseq == cseq && leg.dialog() != null) {
            try {
                leg.dialog().sendAck(leg.reinviteAck);
            } catch (Exception e) {
                node.failed("ack", "again on " + leg, e);
            }
        }
    }

    /** The callee branch is no longer wanted (RFC 3261 §9.1, the branch holds the CANCEL until a 1xx). */
    void cancel(Leg leg) {
        if (leg.branch != null) {
            leg.branch.cancel();
        }
    }

    /** Sends an in-dialog request on the leg; returns its transaction, or null when it could not be sent. */
    ClientTransaction inDialog(Leg leg, String method, String contentType, byte[] body) {
        return inDialog(leg, method, contentType, body, List.of());
    }

    /** Same, with extra headers (Event and Subscription-State of a NOTIFY). */
    ClientTransaction inDialog(Leg leg, String method, String contentType, byte[] body, List<Header> extra) {
        Dialog dialog = leg.dialog();
        if (dialog == null) {
            return null;
        }
        Request request;
        try {
            request = node.request(dialog, method);
            if (Request.INVITE.equals(method)) {
                request.setHeader(node.contact(leg.isCaller() ? leg.bridge.callee() : leg.bridge.caller(),
                        NodeSignalling.transportOf(leg.invite)));
            }
            for (Header header : extra) {
                request.setHeader(header);
            }
            if (contentType != null && body != null) {
                int slash = contentType.indexOf('/');
                request.setContent(body, endpoint().messages().headers().createContentTypeHeader(
                        contentType.substring(0, slash), contentType.substring(slash + 1)));
            }
        } catch (Exception e) {
            node.failed("request", method + " on " + leg, e);
            return null;
        }
        return node.send(dialog, request);
    }

    void bye(Leg leg) {
        inDialog(leg, Request.BYE, null, null);
    }
}
