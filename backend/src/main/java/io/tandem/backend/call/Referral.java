package io.tandem.backend.call;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;

/**
 * A REFER the node is carrying out on a call (RFC 3515): a blind {@link Transfer} or an {@link AttendedTransfer}.
 * The bridge routes to it the answers to the requests it sent, and asks it about the parties leaving. Called under
 * the monitor of the bridge that holds the leg.
 */
interface Referral {

    /** The transaction is one this referral sent on {@code leg}. */
    boolean owns(Leg leg, ClientTransaction tx);

    /** A response to one of the referral's requests ({@link #owns} said so). */
    void onResponse(ResponseEvent event);

    /** One of the referral's INVITE transactions timed out. */
    void onTimeout(ClientTransaction tx);

    /** {@code leg}'s party may hang up without ending the call: the transferor, or the dialog being replaced. */
    boolean leaves(Leg leg);

    /** The call of {@code bridge} ended under the referral (a party hung up, a missing ACK). */
    void abandon(Bridge bridge);
}
