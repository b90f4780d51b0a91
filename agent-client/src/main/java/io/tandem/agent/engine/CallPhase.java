package io.tandem.agent.engine;

/** The life of a call as the agent sees it. */
public enum CallPhase {
    /** Outgoing: dialling, or the far end rings. */
    DIALLING,
    /** Incoming: waiting for Answer or Decline. */
    RINGING,
    CONNECTED,
    ENDED
}
