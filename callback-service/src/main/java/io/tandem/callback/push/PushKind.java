package io.tandem.callback.push;

/** What a push tells the device. */
public enum PushKind {
    /** A caller waits in a room: ring, and join with the one-time token. */
    RING("ring"),
    /** Someone else took the call (or the caller left): stop ringing. Replaces the ring by its collapse id. */
    CANCEL("cancel");

    private final String wireName;

    PushKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the payload's {@code kind} field. */
    public String wireName() {
        return wireName;
    }
}
