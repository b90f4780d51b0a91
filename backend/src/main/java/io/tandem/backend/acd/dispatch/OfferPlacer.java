package io.tandem.backend.acd.dispatch;

/**
 * Rings the agents of an offer: the B2BUA implements this (INVITE to the agent's phone, directly or over the
 * inter-node trunk) and reports the outcome through {@link Claims#accept}, {@link Claims#noAnswer} or
 * {@link Claims#release}. Called on the dispatcher thread; must not block.
 */
public interface OfferPlacer {

    void place(OfferGrant grant);
}
