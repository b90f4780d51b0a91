package io.tandem.telephony.ua;

/** The life of one call as the user sees it. */
public enum CallState {
    /** Outgoing INVITE sent, nothing heard yet (or only 100 Trying). */
    CALLING,
    /** Incoming call waiting for the user (we sent 180), or the far end is ringing (we got 180). */
    RINGING,
    /** Far end sent 183 with SDP: early media flows before the answer. */
    EARLY_MEDIA,
    /** Answered: 200 OK sent or received. */
    CONNECTED,
    /** Over: hung up, rejected, cancelled, failed. See {@link Call#endStatus()}. */
    ENDED
}
