package io.tandem.agent.engine.pjsua2;

import java.util.List;

/**
 * Which node of the ordered list the phone registers on. pjsua2 registers to one registrar per account; the phone
 * moves the account down the list when its node fails and back to the first (preferred) node when that one answers
 * again, as the Java engine does ({@code ua.Registration}). Not thread-safe: the engine's PJSIP thread owns it.
 */
final class RegistrarFailover {
    private final List<String> registrars;
    private int current;

    RegistrarFailover(List<String> registrars) {
        if (registrars.isEmpty()) {
            throw new IllegalArgumentException("no registrar to register on");
        }
        this.registrars = List.copyOf(registrars);
    }

    String current() {
        return registrars.get(current);
    }

    String preferred() {
        return registrars.get(0);
    }

    boolean onPreferred() {
        return current == 0;
    }

    /** Moves to the next node; true when the list wrapped round (every node failed once, the caller pauses). */
    boolean next() {
        current = (current + 1) % registrars.size();
        return current == 0;
    }

    void backToPreferred() {
        current = 0;
    }

    /**
     * A final REGISTER status that says the node, not the account, is the problem: no answer (408, which PJSIP also
     * reports for a transport error), or a server that cannot serve (5xx, RFC 3261 §21.5). Another node may take the
     * binding.
     */
    static boolean nodeFailure(int status) {
        return status == 408 || status >= 500 || status == 0;
    }

    /** The account was refused (wrong password, unknown user): every node of the cluster would say the same. */
    static boolean refusedForGood(int status) {
        return status == 401 || status == 403 || status == 404 || status == 407;
    }
}
