package io.tandem.backend.campaign;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;

/**
 * An outbound campaign of a tenant: whom it calls (its contact list), when (the call window, in each contact's local
 * time), how often (attempts and retry delays by outcome), how fast (the pacing mode), and where answered calls go
 * (a queue). Stored as JSON in {@code tandem:{t}:campaigns}; dialled by the {@link CampaignScheduler} while it runs.
 *
 * @param id          the campaign's name in the tenant
 * @param queue       the queue answered calls go to (the agent's offer names the campaign and the contact)
 * @param mode        how calls are paced
 * @param window      when contacts may be called, in their own time zone
 * @param maxAttempts how many times a contact is called at most
 * @param retry       the delay before calling again after each retryable outcome
 * @param ringSeconds how long a customer's phone rings before no-answer; at least 15 s
 * @param abandonCap  predictive mode: the share of answered calls no agent takes that the pacing keeps under
 * @param maxChannels the campaign's calls at once at most, cluster-wide (0: only the trunks' and nodes' limits)
 * @param prompt      broadcast mode: the prompts (names in the node's prompt directory) an answered customer hears
 */
public record Campaign(String id, String queue, Mode mode, Window window, int maxAttempts, Retry retry,
        int ringSeconds, double abandonCap, int maxChannels, List<String> prompt) {

    public Campaign {
        prompt = prompt == null ? List.of() : List.copyOf(prompt);
    }

    /** The group its calls are counted in by the trunk seizure. */
    public String group() {
        return "campaign." + id;
    }

    /** How calls are paced. */
    public enum Mode {
        /** An agent sees the contact first and starts the call. */
        @JsonProperty("preview") PREVIEW,
        /** One call per available agent. */
        @JsonProperty("progressive") PROGRESSIVE,
        /** More calls than available agents, by a dial ratio kept under the abandon cap. */
        @JsonProperty("predictive") PREDICTIVE,
        /** No agent: an answered customer hears the campaign's prompt, then goodbye; as fast as the limits allow. */
        @JsonProperty("broadcast") BROADCAST
    }

    /** The hours contacts may be called, on the given days, in each contact's local time. */
    public record Window(LocalTime start, LocalTime end, List<DayOfWeek> days) {
        public Window {
            days = days == null ? List.of() : List.copyOf(days);
        }
    }

    /**
     * Retry delays by outcome, in seconds. Invalid numbers and do-not-call contacts are never retried.
     *
     * @param busySeconds     after busy (486, 600)
     * @param noAnswerSeconds after no answer within the ring time
     * @param failedSeconds   after a network failure (5xx, no trunk)
     */
    public record Retry(int busySeconds, int noAnswerSeconds, int failedSeconds) {
    }
}
