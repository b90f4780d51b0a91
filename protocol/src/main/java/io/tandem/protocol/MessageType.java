package io.tandem.protocol;

/** The {@code type} of an {@link Envelope}. */
public final class MessageType {

    /** Node → agent: the agent's session changed ({@link AgentStatus}). */
    public static final String AGENT_STATE = "agent.state";
    /** Node → agent: a queue call is ringing this agent ({@link Offer}). */
    public static final String OFFER = "offer";
    /** Node → agent: the offer ended without the agent (caller hung up, answered elsewhere, timeout). */
    public static final String OFFER_ENDED = "offer.ended";
    /** Node → agent and supervisor: figures of a queue ({@link QueueFigures}). */
    public static final String QUEUE_FIGURES = "queue.figures";
    /**
     * Callback service → one agent, through the node holding its WebSocket: a parked caller asks this not-ready or
     * logged-out agent to join ({@link CallbackWake}). Addressed to one agent: never on the event stream.
     */
    public static final String CALLBACK_WAKE = "callback.wake";
    /** Callback service → one agent: the wake for a room is over ({@link CallbackWakeEnded}). */
    public static final String CALLBACK_WAKE_ENDED = "callback.wake.ended";
    /** Node → supervisor: one event of the tenant's event stream ({@link TenantEvent}). */
    public static final String EVENT = "event";
    /** Client → node: I am still here (the agent's presence heartbeat); answered with {@link #PONG}. */
    public static final String PING = "ping";
    /** Node → client: answer to {@link #PING}. */
    public static final String PONG = "pong";
    /** Node → client: a command could not be carried out ({@link Problem}). */
    public static final String ERROR = "error";

    private MessageType() {
    }
}
