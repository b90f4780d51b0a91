package io.tandem.telephony.sip;

import javax.sip.message.Request;

/**
 * Whether a request the stack received is taken on, or refused with 503 because the endpoint is overloaded
 * (RFC 3261 §21.5.4). Only what starts new work is refused: a new call (INVITE without a To tag) or a
 * registration. A request inside a dialog (a To tag: BYE, re-INVITE, UPDATE, INFO…), ACK, CANCEL and every
 * response are always taken, since dropping them leaks what already exists (a BYE lost is a call nobody ends).
 *
 * @param workQueueLimit       datagrams waiting for a worker thread past which new work is refused
 * @param serverTransactionLimit server transactions held from which new work is refused: the RI drops new
 *                             requests at random above 80 % of its maximum, silently, so we answer before it does
 */
record Admission(int workQueueLimit, int serverTransactionLimit) {

    Admission {
        if (workQueueLimit < 0 || serverTransactionLimit < 1) {
            throw new IllegalArgumentException("workQueueLimit must be >= 0 and serverTransactionLimit positive");
        }
    }

    /** What the endpoint is holding now; read only for a request that could be refused. */
    interface Load {
        /** Datagrams received and not yet taken by a worker thread. */
        int queuedDatagrams();

        /** Server transactions the stack holds. */
        int serverTransactions();
    }

    /** A new call or a registration: the work a busy server may turn away (RFC 3261 §21.5.4). */
    static boolean startsNewWork(String method, boolean hasToTag) {
        if (hasToTag) {
            return false; // RFC 3261 §12.2.2: in a dialog; a re-INVITE included
        }
        return Request.INVITE.equals(method) || Request.REGISTER.equals(method);
    }

    boolean refuses(String method, boolean hasToTag, Load load) {
        return startsNewWork(method, hasToTag)
                && (load.queuedDatagrams() > workQueueLimit || load.serverTransactions() >= serverTransactionLimit);
    }
}
