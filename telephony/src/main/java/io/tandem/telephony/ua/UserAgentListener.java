package io.tandem.telephony.ua;

import io.tandem.telephony.media.MediaDirection;

/**
 * What a {@link UserAgent} tells its application. Every method runs on the user agent's one
 * event thread, in the order things happened, never on a SIP stack thread; a slow listener
 * delays later events but never the signalling.
 */
public interface UserAgentListener {

    /** Registration changed; {@code registrar} is the URI in use, {@code status} the last SIP status (0: none). */
    default void onRegistration(RegistrationState state, String registrar, int status) {
    }

    /** An incoming call is ringing: answer with {@link Call#answer()} or refuse with {@link Call#reject(int)}. */
    default void onIncomingCall(Call call) {
    }

    default void onCallState(Call call, CallState state) {
    }

    /** Media direction changed after an offer/answer (hold, resume, remote hold). */
    default void onMediaDirection(Call call, MediaDirection direction) {
    }

    /** A DTMF digit arrived by RFC 4733 or SIP INFO. */
    default void onDtmf(Call call, char digit) {
    }

    /** Progress of a transfer we asked for with {@link Call#transfer(String)}: the sipfrag status. */
    default void onTransferProgress(Call call, int status) {
    }

    /** The far end transferred {@code call}; {@code replacement} is the new call we placed to the target. */
    default void onTransferred(Call call, Call replacement) {
    }
}
