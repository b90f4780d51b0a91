package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an agent's session is (issue: ACD agent sessions). */
public enum AgentState {
    @JsonProperty("logged-out") LOGGED_OUT,
    /** Can be offered queue calls. */
    @JsonProperty("available") AVAILABLE,
    /** An offer is ringing; held by a lease that expires by itself. */
    @JsonProperty("reserved") RESERVED,
    @JsonProperty("on-call") ON_CALL,
    /** After a call, until the wrap-up timer ends or the agent says done. */
    @JsonProperty("wrap-up") WRAP_UP,
    /** Logged in, takes no queue calls; carries a reason code. */
    @JsonProperty("not-ready") NOT_READY
}
