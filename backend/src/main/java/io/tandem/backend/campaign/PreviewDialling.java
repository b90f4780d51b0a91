package io.tandem.backend.campaign;

import io.tandem.backend.trunk.OutboundLimits;
import io.tandem.backend.trunk.OutsideCalls;
import java.util.List;
import java.util.Optional;

/**
 * Preview mode: an agent asks for the campaign's next contact; it is claimed and dialled at once, on the asking
 * request's thread, and only that agent is offered the answered call. A contact not callable now (do-not-call, out of
 * its window) is settled by {@link ContactDialling} and the next one is tried, ten at most.
 */
final class PreviewDialling {

    private static final int TRIES = 10;

    private final Attempts attempts;
    private final ContactDialling dialling;
    private final OutsideCalls outsideCalls;
    private final RunningCampaigns running;

    PreviewDialling(Attempts attempts, ContactDialling dialling, OutsideCalls outsideCalls, RunningCampaigns running) {
        this.attempts = attempts;
        this.dialling = dialling;
        this.outsideCalls = outsideCalls;
        this.running = running;
    }

    /** The contact dialled for {@code agent}; empty when none is due now (or none could be dialled). */
    Optional<Contact> next(CampaignDialer calls, String tenant, Campaign campaign, String agent, long now) {
        DialerLimits layered = running.limits(tenant);
        OutboundLimits outbound = new OutboundLimits(campaign.group(), layered.nodeChannels(), layered.nodeCaps(),
                campaign.maxChannels());
        for (int tries = 0; tries < TRIES; tries++) {
            List<Attempts.Claimed> claimed = attempts.claim(tenant, campaign.id(), campaign.mode(), 1, now);
            if (claimed.isEmpty()) {
                return Optional.empty();
            }
            ContactDialling.Dialled dialled = dialling.dial(calls, tenant, campaign, claimed,
                    outsideCalls.trunks(tenant), outbound, agent, now);
            if (dialled.placed() > 0) {
                return Optional.of(claimed.get(0).record().contact());
            }
            if (dialled.full()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
