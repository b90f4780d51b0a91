package io.tandem.backend.routing;

import java.util.List;

/** What a dialled number means right now, as {@link CallRouter} decides it. */
public sealed interface Route {

    /** No such extension in the tenant: 404. */
    record Unknown() implements Route {
    }

    /** The extension exists but has no live contact that may be used: 480. */
    record Offline() implements Route {
    }

    /** Ring these targets in parallel (RFC 3261 §16.7 forking, done by the B2BUA as separate B-legs). */
    record Ring(List<Target> targets) implements Route {
        public Ring {
            targets = List.copyOf(targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("a ring route needs a target");
            }
        }
    }

    /**
     * One place to send an INVITE.
     *
     * @param requestUri where the INVITE goes: the phone's reachable contact, or the other node's SIP address
     * @param transport  {@code udp} or {@code tcp}
     * @param trunkNode  for a contact held by another node: that node's id (the INVITE goes over the signed trunk);
     *                   null for a contact of this node
     * @param routeSet   pre-loaded Route entries, first hop first: the Path the phone registered through (RFC 3327
     *                   §5.3, an edge in front of the nodes); empty for a phone reached directly
     */
    record Target(String requestUri, String transport, String trunkNode, List<String> routeSet) {
        public Target {
            routeSet = routeSet == null ? List.of() : List.copyOf(routeSet);
        }

        public Target(String requestUri, String transport, String trunkNode) {
            this(requestUri, transport, trunkNode, List.of());
        }

        public boolean viaTrunk() {
            return trunkNode != null;
        }
    }
}
