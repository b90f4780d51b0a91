package io.tandem.backend.registrar;

import io.tandem.backend.node.NodeMetrics;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contacts this node holds, for the {@code tandem.registrations} gauge: what Redis says after each REGISTER,
 * and contacts that expire without a refresh removed by {@link #sweep()}.
 */
final class LocalRegistrations {

    private final NodeMetrics metrics;
    private final Clock clock;
    /**
     * "tenant/extension" → contact → expiry (epoch ms) of the contacts held by this node. An inner map is only read and
     * written inside {@code compute}/{@code computeIfPresent} of its key (guarded by that key's bin lock), so it is a
     * plain map (a concurrent one per REGISTER was 2 % of the registrar's CPU in a profile).
     */
    private final Map<String, Map<String, Long>> byAor = new ConcurrentHashMap<>();

    LocalRegistrations(NodeMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The AOR's contacts after a REGISTER; only those held by {@code nodeId} count. */
    void update(String tenant, String extension, List<Binding> current, String nodeId) {
        String aor = tenant + "/" + extension;
        byAor.compute(aor, (key, previous) -> {
            Map<String, Long> next = new HashMap<>(4);
            for (Binding binding : current) {
                if (binding.node().equals(nodeId)) {
                    next.put(binding.contact(), binding.expiresAt().toEpochMilli());
                }
            }
            int before = previous == null ? 0 : previous.size();
            for (int i = before; i < next.size(); i++) {
                metrics.registrationAdded();
            }
            for (int i = next.size(); i < before; i++) {
                metrics.registrationRemoved();
            }
            return next.isEmpty() ? null : next;
        });
    }

    /** Forgets contacts past their expiry. */
    void sweep() {
        long now = clock.millis();
        for (String aor : byAor.keySet()) {
            byAor.computeIfPresent(aor, (key, contacts) -> {
                contacts.entrySet().removeIf(e -> {
                    if (e.getValue() <= now) {
                        metrics.registrationRemoved();
                        return true;
                    }
                    return false;
                });
                return contacts.isEmpty() ? null : contacts;
            });
        }
    }
}
