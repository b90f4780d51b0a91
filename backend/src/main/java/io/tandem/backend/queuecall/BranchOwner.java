package io.tandem.backend.queuecall;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;

/**
 * Whose legs this node's {@link OutgoingLegs} place: a queue call (its agents, the overflow extension, users called
 * into its room) or a callback ticket being worked (its agent, then its customer). Responses, timeouts and in-dialog
 * requests of a leg are handed back to its owner, found by the leg's Call-ID.
 */
interface BranchOwner {

    String tenant();

    /** Who the INVITE of {@code branch} says is calling (From, P-Asserted-Identity). */
    String callingNumber(AgentBranch branch);

    /** Their display name, or empty. */
    String callingName(AgentBranch branch);

    /** A response to the INVITE (or another request) of one of this owner's legs. */
    void onResponse(AgentBranch branch, ResponseEvent event);

    /** RFC 3261 §17.1.1.2 Timer B: the INVITE of one of this owner's legs was never answered. */
    void onTimeout(AgentBranch branch, ClientTransaction tx);

    /** A request on the dialog of one of this owner's legs (its BYE, a re-INVITE). */
    void onAgentRequest(AgentBranch branch, ServerTransaction st);
}
