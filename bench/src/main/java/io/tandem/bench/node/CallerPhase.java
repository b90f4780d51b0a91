package io.tandem.bench.node;

/**
 * How the nodes' SIPp callers of {@link QueueCluster#placeCallers} are placed in time against each other. SIPp
 * spaces one node's calls evenly (1/rate apart), so the phase between the UACs decides whether the nodes' callers
 * ever arrive together.
 */
public enum CallerPhase {

    /** Each node's UAC starts a share of a call interval after the one before: independent sources, never in step. */
    STAGGERED("staggered"),

    /**
     * The UACs start together, so every call of the run reaches the three nodes at the same instant: their claims
     * on the one queue meet in Redis, the worst case for a shared queue.
     */
    LOCKSTEP("lockstep");

    private final String label;

    CallerPhase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** When node {@code node} (from 0) of {@code nodes} starts its calls, a call interval being {@code intervalMicros}. */
    long startMicros(int node, int nodes, long intervalMicros) {
        return this == STAGGERED ? node * (intervalMicros / nodes) : 0;
    }
}
