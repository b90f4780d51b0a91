package io.tandem.agent.session;

import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.Offer;
import io.tandem.protocol.OfferEnded;
import io.tandem.protocol.QueueFigures;

/**
 * What an {@link AgentSession} tells the window or the headless runner. Called on the session's callback executor
 * (the FX thread in the window), so implementations may touch their state without locks.
 */
public interface SessionListener {

    default void onRegistration(RegistrationStatus status) {
    }

    /** The agent WebSocket connected to {@code node} or dropped. */
    default void onSocket(boolean connected, String node) {
    }

    default void onAgentStatus(AgentStatus status) {
    }

    default void onOffer(Offer offer) {
    }

    default void onOfferEnded(OfferEnded ended) {
    }

    default void onQueueFigures(QueueFigures figures) {
    }

    /** A parked caller waits and this agent is asked to join ({@link AgentSession#join}). */
    default void onCallbackWake(CallbackWake wake) {
    }

    /** The wake for a room is over: another agent took the caller, or the caller left. */
    default void onCallbackWakeEnded(CallbackWakeEnded ended) {
    }

    /** A call rings the phone; {@code offer} is the queue offer with the same Call-ID, or null for a direct call. */
    default void onIncomingCall(PhoneCall call, Offer offer) {
    }

    default void onCallPhase(PhoneCall call, CallPhase phase) {
    }

    default void onHold(PhoneCall call, boolean held) {
    }

    default void onTransferResult(PhoneCall call, int status) {
    }

    /** Something the agent should read (a refused state change, a lost connection), already in words. */
    default void onNotice(String message) {
    }
}
