package io.tandem.telephony.sip.auth;

/** What {@link HmacNonces#check} found. */
public enum NonceCheck {
    /** Ours, for this realm, within its validity. */
    VALID,
    /** Ours and authentic but expired: challenge again with {@code stale=true} (RFC 2617 §3.2.1). */
    STALE,
    /** Not issued by a node with our secret for this realm, or malformed: challenge afresh. */
    INVALID
}
