package io.tandem.backend.campaign;

import io.tandem.backend.trunk.Seizure;
import io.tandem.backend.trunk.TrunkHunt;

/**
 * Places a campaign's calls on this node: the INVITE to the carrier over the seized trunk (failing over on the
 * trunk rules of {@link TrunkHunt}), and an answered call to the campaign's queue. Implemented where the node's
 * outgoing legs and queue calls live.
 */
public interface CampaignDialer {

    /** What the dialler tells the campaign about a call. */
    interface Progress {
        /** The customer answered: the call waits for an agent (counted for the pacing). */
        void answered(Attempt attempt);

        /** The attempt is over; told once. */
        void ended(Attempt attempt, AttemptResult result);
    }

    /** Sends the attempt's INVITE on {@code first}; further trunks of {@code hunt} only after a definite failure. */
    void dial(Attempt attempt, TrunkHunt hunt, Seizure first, Progress progress);

    /** Calls of campaigns this node holds now (dialling, waiting for an agent, ringing one or connected). */
    int active();
}
