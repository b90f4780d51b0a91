package io.tandem.backend.campaign;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The campaign dialler on this node ({@code tandem.campaigns.*}).
 *
 * @param enabled      whether this node's scheduler dials campaigns at all
 * @param tick         the scheduler's period: each tick shares its budget between the running campaigns, lists them
 *                     afresh and adapts the predictive ratios
 * @param slices       how many runs a tick is dialled in, evenly spaced, each with its share of the tick's budget (what
 *                     an earlier slice left unspent carries on): a trunk counts its CAPS over a window slid over
 *                     every INVITE, so a tick dialled all at once finds most of the last tick's INVITEs still in the
 *                     window and gets about half the CAPS; 1-100, each slice at least 5 ms
 * @param budget       calls this node's scheduler starts per tick at most, over all campaigns (shared round-robin, so
 *                     none starves another)
 * @param dialQueue    INVITEs seized and waiting for the dialling thread at most (the scheduler does not wait on the
 *                     SIP stack); a seizure beyond it is given back and its contact waits for the next slice
 * @param nodeCaps     the template's INVITEs per second this node sends to trunks at most (0: none); overridden by the
 *                     Redis layers ({@link DialerLimits})
 * @param nodeChannels the template's outside calls this node holds at once at most (0: none); overridden likewise
 * @param safeHarbour  how long an answered customer waits for an agent before the safe-harbour prompt (counted as
 *                     abandoned); 2 s by default, the US Telemarketing Sales Rule's limit; at most 30 s where the
 *                     law allows longer
 * @param sweep        how often claims of dead nodes are settled
 */
@Validated
@ConfigurationProperties("tandem.campaigns")
public record CampaignProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") @NotNull Duration tick,
        @DefaultValue("10") int slices,
        @DefaultValue("50") int budget,
        @DefaultValue("1000") int dialQueue,
        @DefaultValue("0") int nodeCaps,
        @DefaultValue("0") int nodeChannels,
        @DefaultValue("2s") @NotNull Duration safeHarbour,
        @DefaultValue("5s") @NotNull Duration sweep) {

    public CampaignProperties {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tandem.campaigns.tick must be positive");
        }
        if (slices < 1 || slices > 100 || tick.toMillis() / slices < 5) {
            throw new IllegalArgumentException("tandem.campaigns.slices must be 1-100, each slice (tick / slices) at "
                    + "least 5ms (10 by default)");
        }
        if (dialQueue < 1) {
            throw new IllegalArgumentException("tandem.campaigns.dial-queue must be at least 1");
        }
        if (budget < 1) {
            throw new IllegalArgumentException("tandem.campaigns.budget must be at least 1");
        }
        if (nodeCaps < 0 || nodeChannels < 0) {
            throw new IllegalArgumentException("tandem.campaigns.node-caps and node-channels must be 0 or more");
        }
        if (safeHarbour.isNegative() || safeHarbour.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("tandem.campaigns.safe-harbour must be 0-30s (2s by default)");
        }
    }

    /** The period of one slice, in ms. */
    long sliceMillis() {
        return tick.toMillis() / slices;
    }

    /**
     * The calls of the tick's budget the slices up to and including {@code slice} (0-based) may have started: each its
     * even share, rounded so that the last slice reaches the whole budget.
     */
    int budgetThrough(int slice) {
        return (int) ((long) budget * (slice + 1) / slices);
    }
}
