package io.tandem.agent.engine;

/** What a {@link PhoneEngine} reports, in order, on one engine thread. */
public interface PhoneListener {

    default void onRegistration(RegistrationStatus status) {
    }

    /** An incoming call rings: {@link PhoneCall#answer()} or {@link PhoneCall#decline()}. */
    default void onIncomingCall(PhoneCall call) {
    }

    default void onCallPhase(PhoneCall call, CallPhase phase) {
    }

    /** The call went on hold or came back (either side's doing). */
    default void onHold(PhoneCall call, boolean held) {
    }

    default void onDtmf(PhoneCall call, char digit) {
    }

    /** Progress of a blind transfer we asked for: the final SIP status of the target (200 done, 486 busy...). */
    default void onTransferResult(PhoneCall call, int status) {
    }
}
