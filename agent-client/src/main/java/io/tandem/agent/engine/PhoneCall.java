package io.tandem.agent.engine;

import java.time.Instant;

/** One call of the phone. Actions return at once and may be called from any thread. */
public interface PhoneCall {

    /** The SIP Call-ID of this phone's leg. */
    String id();

    /**
     * The queue offer this incoming call rings for: the node's {@code X-Tandem-Offer} header, which names the
     * {@code Offer}'s {@code offerId}. Empty for direct and outgoing calls. The offer's {@code callId} is the
     * caller's call at the node, not this leg's Call-ID (a ring-all offer rings several agents, each leg its own).
     */
    default String offerId() {
        return "";
    }

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
