package io.tandem.backend.node.sip;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.message.Request;

/**
 * What an {@link OutgoingBranch} sends, and nothing else: the JAIN-SIP side behind a small interface, so the branch's
 * state machine runs in a unit test without a stack or a socket. Every method either sends or throws.
 */
public interface BranchSender {

    /** An INVITE that went out: its client transaction and the dialog its responses may establish. */
    record Sent(ClientTransaction transaction, Dialog dialog) {
    }

    /** Sends {@code invite} in a new client transaction (RFC 3261 §17.1.1) with a dialog for its answer. */
    Sent invite(Request invite) throws SipException;

    /** Builds and sends the ACK of the 2xx whose CSeq is {@code cseq} (RFC 3261 §13.2.2.4); returns it. */
    Request ack(Dialog dialog, long cseq) throws SipException;

    /** Sends a kept ACK again, for a retransmitted 2xx. */
    void resendAck(Dialog dialog, Request ack) throws SipException;

    /** CANCELs the INVITE of {@code invite} (RFC 3261 §9.1). */
    void cancel(ClientTransaction invite) throws SipException;

    /** Ends the established dialog with a BYE (RFC 3261 §15.1.1). */
    void bye(Dialog dialog) throws SipException;
}
