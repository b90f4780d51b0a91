package io.tandem.backend.queuecall;

import io.tandem.backend.call.TransferAdmission;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The REFER of the agent connected to a queue caller (RFC 3515), as the transferor's side of it: what it asks for
 * ({@link Referral}: a number, and for an attended transfer the consultation dialog it replaces, RFC 3891), its 202
 * and the NOTIFYs of the implicit subscription (RFC 5589 §6: 100, then the outcome), and the agent's leg ended by
 * the node when its phone stays after the final NOTIFY (§6.1 expects it to hang up), as a direct call's transferor's
 * is. Where the caller goes is the queue call's to decide ({@link QueueCall}). Guarded by the call's lock.
 */
final class AgentTransfer {

    /** How long the transferor may keep its leg after the final NOTIFY before the node sends BYE. */
    static final Duration TRANSFEROR_BYE_GRACE = Duration.ofSeconds(4);
    /** RFC 3891 §6.1 header of a Refer-To URI (RFC 3515 §2.1: URI headers become headers of the INVITE). */
    private static final String REPLACES = "Replaces";

    /** What the REFER asks: the caller sent to {@code number}; {@code replaces} the consultation dialog, or null. */
    record Referral(String number, String replaces) {
        boolean attended() {
            return replaces != null;
        }
    }

    private final OutgoingLegs legs;
    private final TransferAdmission admission;
    private final Timers timers;
    private final Object lock;

    AgentTransfer(OutgoingLegs legs, TransferAdmission admission, Timers timers, Object lock) {
        this.legs = legs;
        this.admission = admission;
        this.timers = timers;
        this.lock = lock;
    }

    /** The REFER's Refer-To as a {@link Referral}; empty (answered 400) when it names no number. */
    Optional<Referral> read(ServerTransaction st) {
        ReferToHeader referTo = (ReferToHeader) st.getRequest().getHeader(ReferToHeader.NAME);
        if (referTo == null || !(referTo.getAddress().getURI() instanceof SipURI uri) || uri.getUser() == null) {
            legs.answer(st, Response.BAD_REQUEST, "Refer-To must be a sip: URI naming a number");
            return Optional.empty();
        }
        String replaces = uri.getHeader(REPLACES);
        return Optional.of(new Referral(uri.getUser(),
                replaces == null ? null : URLDecoder.decode(replaces, StandardCharsets.UTF_8)));
    }

    /**
     * Whether the agent may send its caller where {@code referral} says: what it may call itself, as any transferor
     * ({@link TransferAdmission}; a blind transfer is rung from here, an attended one joins the consultation call
     * that exists). Refused (403, 404, 501 with the reason) before anything rings, the agent and the caller still
     * talking. Decided here for an agent on this node and one on another node alike: the caller's node is the one
     * that carries the transfer out.
     */
    boolean admitted(String tenant, AgentBranch agent, ServerTransaction st, Referral referral) {
        Optional<TransferAdmission.Refusal> refusal = admission.refusal(tenant, agent.agentId, referral.number(),
                !referral.attended());
        refusal.ifPresent(refused -> legs.answer(st, refused.status(), refused.reason()));
        return refusal.isEmpty();
    }

    /** The REFER is taken: 202 and the first NOTIFY (RFC 3515 §2.4.4). */
    void accepted(AgentBranch agent, ServerTransaction st) {
        legs.answer(st, Response.ACCEPTED, null);
        legs.notifyReferProgress(agent, Response.TRYING, "Trying", false);
    }

    /**
     * The caller is handed on: the last NOTIFY says so; the agent's leg, no longer the call's, is BYEd after
     * {@link #TRANSFEROR_BYE_GRACE} unless its phone hung up first.
     */
    void succeeded(AgentBranch agent) {
        legs.notifyReferProgress(agent, Response.OK, "OK", true);
        timers.after(TRANSFEROR_BYE_GRACE, () -> {
            synchronized (lock) {
                if (legs.find(agent.callId()) == agent) {
                    legs.drop(agent, true);
                }
            }
        });
    }

    /** The transfer could not be carried out: the last NOTIFY says why; the agent and the caller still talk. */
    void failed(AgentBranch agent, int status, String reason) {
        legs.notifyReferProgress(agent, status, reason, true);
    }

    /** A REFER the call cannot carry out (not connected to this agent, a second one): refused outright. */
    void refuse(ServerTransaction st, int status, String reason) {
        legs.answer(st, status, reason);
    }

    static boolean isRefer(ServerTransaction st) {
        return Request.REFER.equals(st.getRequest().getMethod());
    }
}
