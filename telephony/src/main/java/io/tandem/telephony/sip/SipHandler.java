package io.tandem.telephony.sip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

/**
 * What a {@link SipEndpoint} delivers, on JAIN-SIP threads: a handler must hand work off
 * quickly (the user agent queues it on its own signalling thread).
 */
public interface SipHandler {

    /** A request that passed {@link RequestValidator}. */
    void onRequest(RequestEvent event);

    default void onResponse(ResponseEvent event) {
    }

    default void onTimeout(TimeoutEvent event) {
    }

    default void onTransportError(IOExceptionEvent event) {
    }

    default void onTransactionTerminated(TransactionTerminatedEvent event) {
    }

    default void onDialogTerminated(DialogTerminatedEvent event) {
    }

    /**
     * A dialog timed out inside the stack, e.g. our 2xx to an INVITE was retransmitted for 64×T1 without an ACK
     * (RFC 3261 §13.3.1.4): the stack leaves it to the handler to end the session with a BYE.
     */
    default void onDialogTimeout(DialogTimeoutEvent event) {
    }
}
