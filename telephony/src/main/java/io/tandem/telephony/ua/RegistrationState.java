package io.tandem.telephony.ua;

/** Where the account's registration stands. */
public enum RegistrationState {
    /** Not registered and not trying (never started, or unregistered on close). */
    UNREGISTERED,
    /** A REGISTER is in flight (first attempt, refresh after failover, or retry). */
    REGISTERING,
    /** The registrar accepted our binding. */
    REGISTERED,
    /** The registrar refused us for good (403, wrong password, 4xx other than a challenge). */
    FAILED
}
