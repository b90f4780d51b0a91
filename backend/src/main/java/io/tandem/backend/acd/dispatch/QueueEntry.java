package io.tandem.backend.acd.dispatch;

import java.time.Instant;
import java.util.Map;

/**
 * A caller waiting in a queue, as every node sees it.
 *
 * @param callId          the caller's call id (SIP Call-ID of its leg on the owner node)
 * @param queue           queue number
 * @param owner           node holding the caller's media
 * @param number          caller's number
 * @param name            caller's display name
 * @param priority        0-99, higher first
 * @param skills          required skills, {@code name → minimum level}
 * @param data            custom data shown to the agent
 * @param enqueuedAt      when the caller joined
 * @param position        1-based place in the queue
 * @param offerId         the live offer, empty when none is ringing
 */
public record QueueEntry(String callId, String queue, String owner, String number, String name, int priority,
        Map<String, Integer> skills, Map<String, String> data, Instant enqueuedAt, int position, String offerId) {

    public QueueEntry {
        skills = skills == null ? Map.of() : Map.copyOf(skills);
        data = data == null ? Map.of() : Map.copyOf(data);
        name = name == null ? "" : name;
        offerId = offerId == null ? "" : offerId;
    }
}
