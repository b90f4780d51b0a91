package io.tandem.backend.queuecall;

/** Who a queue call is: the tenant it called, its Call-ID, the caller's number and display name. */
record CallingParty(String tenant, String callId, String number, String name) {
}
