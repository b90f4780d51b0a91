package io.tandem.agent.engine;

import java.time.Instant;

/** One call of the phone. Actions return at once and may be called from any thread. */
public interface PhoneCall {

    /** The SIP Call-ID, which is also what an {@code Offer} names. */
    String id();

    boolean incoming();

    /** Who is on the other end: the user part of the remote URI (a number), or the whole URI. */
    String remoteNumber();

    /** The display name the far end gave, or empty. */
    String remoteName();

    CallPhase phase();

    /** When the call was answered, or null before. */
    Instant connectedAt();

    boolean onHold();

    boolean muted();

    void answer();

    /** Refuses a ringing call (603 Decline, RFC 3261 §21.6.2). */
    void decline();

    void hangUp();

    void hold();

    void resume();

    /** Sends silence instead of the microphone while muted; the far end still hears comfort silence. */
    void setMuted(boolean muted);

    void sendDtmf(char digit);

    /** Blind transfer (RFC 3515 REFER) to an extension, a queue number or a SIP URI. */
    void transfer(String target);
}
