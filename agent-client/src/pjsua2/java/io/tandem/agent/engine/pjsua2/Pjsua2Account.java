package io.tandem.agent.engine.pjsua2;

import org.pjsip.pjsua2.Account;
import org.pjsip.pjsua2.OnIncomingCallParam;
import org.pjsip.pjsua2.OnRegStateParam;

/**
 * pjsua2's account with its callbacks (PJSIP threads), handed on without blocking. One per registrar the phone
 * registers on: a failover replaces it, and results from a replaced one are ignored.
 */
final class Pjsua2Account extends Account {
    private final Pjsua2PhoneEngine engine;
    private final Pjsua2Registration registration;
    private final String registrar;

    Pjsua2Account(Pjsua2PhoneEngine engine, Pjsua2Registration registration, String registrar) {
        this.engine = engine;
        this.registration = registration;
        this.registrar = registrar;
    }

    /** The node this account registers on, or null for a phone that only takes direct calls. */
    String registrar() {
        return registrar;
    }

    @Override
    public void onRegState(OnRegStateParam prm) {
        registration.result(this, prm.getCode(), prm.getExpiration(), prm.getStatus(), prm.getReason());
    }

    @Override
    public void onIncomingCall(OnIncomingCallParam prm) {
        engine.incomingCall(this, prm.getCallId(), prm.getRdata().getWholeMsg());
    }
}
