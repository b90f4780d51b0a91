package io.tandem.backend.queuecall;

import io.tandem.backend.trunk.CarrierLeg;

/**
 * Who a queue call is: the tenant it called, its Call-ID, the caller's number and display name, and for a call from
 * the public network the trunk and DID it came in on (null otherwise).
 */
record CallingParty(String tenant, String callId, String number, String name, CarrierLeg carrier) {

    CallingParty(String tenant, String callId, String number, String name) {
        this(tenant, callId, number, name, null);
    }
}
