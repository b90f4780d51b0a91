package io.tandem.backend.node.sip;

import java.util.Set;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/**
 * A feature of the node that handles some SIP methods (the registrar: REGISTER; the B2BUA later: INVITE, ACK, BYE,
 * CANCEL, ...). Every Spring bean of this type is plugged into {@link SipRequestRouter}; a method no feature claims
 * gets the router's fallback answer. Called on JAIN-SIP threads: answer or hand the work off, never wait long.
 */
public interface SipFeature {

    /** The request methods this feature handles (upper case, e.g. {@code REGISTER}). */
    Set<String> methods();

    /** A request of one of {@link #methods()} that passed validation and whose source is not blocked. */
    void onRequest(InboundRequest request);

    /**
     * Whether this feature's requests over UDP are answered without a server transaction (RFC 3261 §8.2.7, as
     * Kamailio's {@code sl_send_reply}): the router then repeats the first answer to retransmissions itself
     * ({@link StatelessAnswers}). For a feature whose every request is answered at once with a final response and
     * needs no dialog (REGISTER); over TCP and TLS a transaction costs nothing after its answer (Timer J is zero).
     */
    default boolean answersStatelessly() {
        return false;
    }

    /**
     * Methods of this feature whose requests over UDP are answered at once, through the server transaction the stack
     * made (an in-dialog BYE: the stack's dialog must see its 200 to end, RFC 3261 §15.1.2), after which the stack
     * forgets the transaction and the router repeats the kept answer to retransmissions itself ({@link
     * StatelessAnswers}), instead of the stack holding it for Timer J, 32 s (RFC 3261 §17.2.2), where it counts
     * against the overload valve's server-transaction limit. The answer must be sent with {@link
     * NodeSignalling#send}, which keeps it; one sent otherwise leaves the transaction to the stack, as before.
     */
    default Set<String> releasedOnceAnswered() {
        return Set.of();
    }

    /** A response to a request this node sent; features that send no requests ignore it. */
    default void onResponse(ResponseEvent event) {
    }

    /** A client transaction of this node timed out (RFC 3261 §17.1: Timer B/F). */
    default void onTimeout(TimeoutEvent event) {
    }

    /**
     * The 2xx of an INVITE this node answered was never ACKed (RFC 3261 §13.3.1.4): the caller is gone, and the
     * feature holding the dialog ends the session with a BYE. The router has already checked the stack's event.
     */
    default void onAckNotReceived(Dialog dialog, String callId) {
    }
}
