package io.tandem.agent.engine.pjsua2;

import java.util.concurrent.atomic.AtomicInteger;
import org.pjsip.pjsua2.Account;
import org.pjsip.pjsua2.Call;
import org.pjsip.pjsua2.OnCallMediaStateParam;
import org.pjsip.pjsua2.OnCallStateParam;
import org.pjsip.pjsua2.OnCallTransferStatusParam;
import org.pjsip.pjsua2.OnDtmfDigitParam;

/**
 * pjsua2's call object with its callbacks, which PJSIP runs on its own threads: each one reads what it needs and
 * hands the rest to the {@link Pjsua2Call} it belongs to, never blocking. Deleted explicitly by the engine once the
 * call has ended (a SWIG object left to the garbage collector would be destroyed on a thread PJSIP does not know).
 */
final class CallHandle extends Call {
    private volatile Pjsua2Call owner;
    /** PJSIP threads inside one of this call's callbacks now: the engine deletes the object only when none is. */
    private final AtomicInteger inCallbacks = new AtomicInteger();

    /** An incoming call PJSIP already has. */
    CallHandle(Account account, int callId) {
        super(account, callId);
    }

    /** A call to place with {@link #makeCall}. */
    CallHandle(Account account) {
        super(account);
    }

    void owner(Pjsua2Call call) {
        owner = call;
    }

    @Override
    public void onCallState(OnCallStateParam prm) {
        inCallbacks.incrementAndGet();
        try {
            Pjsua2Call call = owner;
            if (call != null) {
                call.stateChanged();
            }
        } finally {
            inCallbacks.decrementAndGet();
        }
    }

    @Override
    public void onCallMediaState(OnCallMediaStateParam prm) {
        inCallbacks.incrementAndGet();
        try {
            Pjsua2Call call = owner;
            if (call != null) {
                call.mediaChanged();
            }
        } finally {
            inCallbacks.decrementAndGet();
        }
    }

    @Override
    public void onDtmfDigit(OnDtmfDigitParam prm) {
        inCallbacks.incrementAndGet();
        try {
            Pjsua2Call call = owner;
            String digit = prm.getDigit();
            if (call != null && digit != null && !digit.isEmpty()) {
                call.dtmfReceived(digit.charAt(0));
            }
        } finally {
            inCallbacks.decrementAndGet();
        }
    }

    @Override
    public void onCallTransferStatus(OnCallTransferStatusParam prm) {
        inCallbacks.incrementAndGet();
        try {
            Pjsua2Call call = owner;
            int status = prm.getStatusCode();
            if (status >= 200) {
                // RFC 3515 §2.4.5: a final status in the sipfrag ends our interest in the subscription.
                prm.setCont(false);
            }
            if (call != null) {
                call.transferProgress(status);
            }
        } finally {
            inCallbacks.decrementAndGet();
        }
    }

    /**
     * Whether a PJSIP thread is inside one of this call's callbacks: deleting the object then would free it under
     * that thread (the SWIG director still reads it after our code returns).
     */
    boolean inCallback() {
        return inCallbacks.get() > 0;
    }
}
