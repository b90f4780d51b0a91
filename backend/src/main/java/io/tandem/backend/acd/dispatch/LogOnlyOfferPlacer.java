package io.tandem.backend.acd.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placer used while no SIP side is wired in: it only logs. The offer still reaches the agent's WebSocket (the
 * claim publishes it), and its lease lapses by itself when nobody answers, so the caller is offered again.
 */
final class LogOnlyOfferPlacer implements OfferPlacer {

    private static final Logger log = LoggerFactory.getLogger(LogOnlyOfferPlacer.class);

    @Override
    public void place(OfferGrant grant) {
        log.info("offer {} of caller {} in queue {}@{} to {}: no SIP offer placed (no B2BUA placer on this node)",
                grant.offerId(), grant.callId(), grant.queue(), grant.tenant(), grant.agents());
    }
}
