package io.tandem.telephony.mixer;

/** What a conference party's voice does in the mix. Orthogonal to mute, which silences any role. */
public enum PartyRole {
    /** Heard by every other party; the normal conference member. */
    SPEAKER,
    /** Hears everybody, is never heard: the supervisor's "listen" (silent monitoring). */
    LISTENER,
    /** Hears everybody, is heard only by one target party: the supervisor's "whisper" (coaching). */
    WHISPERER
}
