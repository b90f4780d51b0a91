package io.tandem.backend.acd.queues;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a queue picks the agent for its best caller (see {@code acd/claim.lua}). */
public enum Strategy {
    /** Every eligible agent rings at once (up to {@code ring-all-max}); the first to answer wins. */
    @JsonProperty("ring-all") RING_ALL,
    /** The agent idle the longest (same second = equal). */
    @JsonProperty("longest-idle") LONGEST_IDLE,
    /** The next member after the one offered last, in member order; the cursor lives in Redis for all nodes. */
    @JsonProperty("round-robin") ROUND_ROBIN,
    /** The agent who took the fewest queue calls since login. */
    @JsonProperty("fewest-calls") FEWEST_CALLS,
    /** The agent with the least talk time since login. */
    @JsonProperty("least-talk-time") LEAST_TALK_TIME,
    /** Any eligible agent, uniformly. */
    @JsonProperty("random") RANDOM,
    /** Always the first free member in member order. */
    @JsonProperty("linear") LINEAR,
    /** Lowest penalty, then highest level in the caller's required skills, then longest idle. */
    @JsonProperty("skills-based") SKILLS_BASED;

    /** The name used in JSON, YAML and the Lua claim. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
