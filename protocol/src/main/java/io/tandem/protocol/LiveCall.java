package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A call supervisors see live, as every node lists it: a queue call connected to an agent, a caller parked in a
 * callback room (alone, or connected to whoever joined it) or a callback ticket being worked. Who talks to whom,
 * which node carries the caller's media (where a monitor is joined) and which node the agent's phone is on;
 * {@code monitor} is the supervisor listening in, or null. {@code callerName} is as the caller's SIP said it: a
 * reader shows it as text, never as markup.
 *
 * @param state      what the call is doing now; only {@link State#monitorable()} states take a monitor
 * @param startedAt  epoch ms the call entered the list (the answer of a queue call, the park of a room, the agent's
 *                   answer of a ticket)
 * @param answeredAt epoch ms the caller and the agent were connected; 0 while not (parked, ticket dialling)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveCall(
        @JsonProperty("callId") String callId,
        @JsonProperty("queue") String queue,
        @JsonProperty("callerNumber") String callerNumber,
        @JsonProperty("callerName") String callerName,
        @JsonProperty("agentId") String agentId,
        @JsonProperty("callerNode") String callerNode,
        @JsonProperty("agentNode") String agentNode,
        @JsonProperty("answeredAt") long answeredAt,
        @JsonProperty("monitor") Monitor monitor,
        @JsonProperty("state") State state,
        @JsonProperty("startedAt") long startedAt) {

    /** What a listed call is doing. */
    public enum State {
        /** A queue caller connected to the agent that answered its offer. */
        @JsonProperty("connected") CONNECTED,
        /** A caller alone in its callback room, waiting for a woken agent to join. */
        @JsonProperty("parked") PARKED,
        /** A parked caller connected, through its room, to the agent that joined. */
        @JsonProperty("callback") CALLBACK,
        /** A callback ticket's agent answered; the customer is being called. */
        @JsonProperty("ticket-dialling") TICKET_DIALLING,
        /** A callback ticket's customer answered and talks to the agent. */
        @JsonProperty("ticket-connected") TICKET_CONNECTED;

        /** Whether a supervisor can be joined: caller and agent talk to each other. */
        public boolean monitorable() {
            return this == CONNECTED || this == CALLBACK || this == TICKET_CONNECTED;
        }
    }

    /** A connected queue call, listed as its agent answered. */
    public static LiveCall connected(String callId, String queue, String callerNumber, String callerName,
            String agentId, String callerNode, String agentNode, long answeredAt) {
        return new LiveCall(callId, queue, callerNumber, callerName, agentId, callerNode, agentNode, answeredAt, null,
                State.CONNECTED, answeredAt);
    }

    public LiveCall {
        // an entry written before the state existed is a connected queue call
        state = state == null ? State.CONNECTED : state;
        startedAt = startedAt == 0 ? answeredAt : startedAt;
    }

    /** The same call with {@code monitor} (or none). */
    public LiveCall with(Monitor monitor) {
        return new LiveCall(callId, queue, callerNumber, callerName, agentId, callerNode, agentNode, answeredAt,
                monitor, state, startedAt);
    }

    /** The same call, now {@code state} with {@code agentId} on {@code agentNode}, answered at {@code answeredAt}. */
    public LiveCall now(State state, String agentId, String agentNode, long answeredAt) {
        return new LiveCall(callId, queue, callerNumber, callerName, agentId, callerNode, agentNode, answeredAt,
                monitor, state, startedAt);
    }
}
