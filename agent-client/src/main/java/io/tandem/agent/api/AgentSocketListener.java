package io.tandem.agent.api;

import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.Offer;
import io.tandem.protocol.OfferEnded;
import io.tandem.protocol.QueueFigures;

/** What the agent WebSocket delivers, on the socket's thread. */
public interface AgentSocketListener {

    /** Connected to {@code node} (its HTTP URL), or lost ({@code connected} false, {@code node} the last one). */
    default void onConnection(boolean connected, String node) {
    }

    default void onAgentState(AgentStatus status) {
    }

    default void onOffer(Offer offer) {
    }

    default void onOfferEnded(OfferEnded ended) {
    }

    default void onQueueFigures(QueueFigures figures) {
    }

    /** The callback service asks this agent to join a parked caller's room. */
    default void onCallbackWake(CallbackWake wake) {
    }

    /** The wake for a room is over (someone else joined, the caller left). */
    default void onCallbackWakeEnded(CallbackWakeEnded ended) {
    }

    /** The node refused a command or reported a problem. */
    default void onError(String detail) {
    }
}
