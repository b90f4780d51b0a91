package io.tandem.agent.engine;

/**
 * Where the phone's SIP registration stands: on which registrar (node SIP URI), with the last SIP status seen
 * (0 when none) and, when it failed for a reason a status code does not tell (the node's TLS certificate not
 * trusted), that reason in words for the agent; empty otherwise.
 */
public record RegistrationStatus(Phase phase, String registrar, int lastStatus, String problem) {

    public RegistrationStatus {
        problem = problem == null ? "" : problem;
    }

    public RegistrationStatus(Phase phase, String registrar, int lastStatus) {
        this(phase, registrar, lastStatus, "");
    }

    public enum Phase {
        /** Not started, or unregistered on logout. */
        OFFLINE,
        /** A REGISTER is out (first try or after a failover). */
        REGISTERING,
        REGISTERED,
        /** Refused for good (wrong password, 403). */
        FAILED
    }

    public static final RegistrationStatus OFFLINE = new RegistrationStatus(Phase.OFFLINE, null, 0);

    public boolean registered() {
        return phase == Phase.REGISTERED;
    }
}
