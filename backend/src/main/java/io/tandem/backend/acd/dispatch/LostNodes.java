package io.tandem.backend.acd.dispatch;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Which nodes the sweep may take for dead, so as to remove their waiting callers as lost: a node counts as gone
 * only once it has been missing from the live set for a heartbeat TTL, on sweeps that far apart. One missed read is
 * no death: a node whose beat came late (a starved CPU, a Redis stalled on its disk) would otherwise lose its
 * waiting callers for good while it still holds their calls, and they would hear music with no agent ever offered.
 * A node that really died has its callers removed one TTL later; they are gone with it anyway. Touched only by the
 * sweep thread.
 */
final class LostNodes {

    private final long confirmMillis;
    private final LongSupplier clock;
    private final Map<String, Long> missingSince = new HashMap<>();

    /** {@code confirm}: how long a node must stay missing (the heartbeat TTL); {@code clock}: epoch ms. */
    LostNodes(Duration confirm, LongSupplier clock) {
        this.confirmMillis = confirm.toMillis();
        this.clock = clock;
    }

    /** Starts a round: forgets the nodes alive again, so a later absence is timed afresh. */
    void round(Set<String> alive) {
        missingSince.keySet().removeIf(alive::contains);
    }

    /** True once {@code owner}, missing from the live set now, has been missing for the confirmation time. */
    boolean gone(String owner) {
        long now = clock.getAsLong();
        return now - missingSince.computeIfAbsent(owner, o -> now) >= confirmMillis;
    }
}
