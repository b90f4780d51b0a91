package io.tandem.backend.campaign;

/** How one attempt of a campaign ended. */
public enum Outcome {
    /** The customer answered and an agent (or the campaign's prompt) took the call. */
    ANSWERED("answered"),
    /** The customer was busy (486, 600). */
    BUSY("busy"),
    /** Nobody answered within the ring time (or 480, 408, 487). */
    NO_ANSWER("no-answer"),
    /** The network failed the call (a 5xx, no trunk answering); the SIP cause says which. */
    FAILED("failed"),
    /** The customer answered and no agent took the call in time: the safe-harbour prompt, then goodbye. */
    ABANDONED("abandoned"),
    /** The number is on a do-not-call list: never dialled. */
    DO_NOT_CALL("do-not-call"),
    /** The number does not exist (404, 484, 604): never dialled again. */
    INVALID("invalid");

    private final String wire;

    Outcome(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The outcome of a call that ended with {@code status} before anyone answered it (RFC 3261 §21). */
    public static Outcome ofFailure(int status) {
        return switch (status) {
            case 486, 600 -> BUSY;
            case 408, 480, 487, 603 -> NO_ANSWER;
            case 404, 484, 604 -> INVALID;
            default -> FAILED;
        };
    }
}
