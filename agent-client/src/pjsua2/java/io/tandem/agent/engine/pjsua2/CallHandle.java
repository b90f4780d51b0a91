package io.tandem.agent.engine.pjsua2;

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
        Pjsua2Call call = owner;
        if (call != null) {
            call.stateChanged();
        }
    }

    @Override
    public void onCallMediaState(OnCallMediaStateParam prm) {
        Pjsua2Call call = owner;
        if (call != null) {
            call.mediaChanged();
        }
    }

    @Override
    public void onDtmfDigit(OnDtmfDigitParam prm) {
        Pjsua2Call call = owner;
        String digit = prm.getDigit();
        if (call != null && digit != null && !digit.isEmpty()) {
            call.dtmfReceived(digit.charAt(0));
        }
    }

    @Override
    public void onCallTransferStatus(OnCallTransferStatusParam prm) {
        Pjsua2Call call = owner;
        int status = prm.getStatusCode();
        if (status >= 200) {
            // RFC 3515 §2.4.5: a final status in the sipfrag ends our interest in the subscription.
            prm.setCont(false);
        }
        if (call != null) {
            call.transferProgress(status);
        }
    }
}
