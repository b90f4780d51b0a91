package io.tandem.backend.acd.dispatch;

import io.tandem.backend.acd.events.LiveEvents;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Offers the ACD ended behind the ringing node's back, cluster-wide: a supervisor forced the reserved agent's state
 * or logged it out, the presence check logged it out, its lease ran out, a supervisor moved the caller. The node
 * ringing the agent hears them here and CANCELs at once instead of ringing until the queue's ring timeout. Endings
 * the ringing node caused itself (its own timeout, answer, the caller leaving) are not passed on.
 */
@Component
public class OfferEndings {

    /** {@code offer.ended} reasons written by the scripts when someone other than the ringing node ended it. */
    static final Set<String> EXTERNAL = Set.of("agent-unavailable", "lease-expired", "moved");

    /** Told on the ACD's event thread: hand the work off, do not block. */
    public interface Listener {
        void offerEnded(String tenant, String callId, String offerId, String agentId, String reason);
    }

    private final LiveEvents events;

    OfferEndings(LiveEvents events) {
        this.events = events;
    }

    public void listen(Listener listener) {
        events.addForEveryTenant((tenant, event) -> {
            if (event.kind().equals("offer.ended") && EXTERNAL.contains(event.field("reason"))) {
                listener.offerEnded(tenant, event.callId(), event.field("offerId"), event.agentId(),
                        event.field("reason"));
            }
        });
    }
}
