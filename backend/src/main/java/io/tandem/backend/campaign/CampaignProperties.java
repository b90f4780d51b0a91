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
 * @param tick         how often the scheduler runs: each run shares one second's budget between the running campaigns
 * @param budget       calls this node's scheduler starts per tick at most, over all campaigns (shared round-robin, so
 *                     none starves another)
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
        @DefaultValue("50") int budget,
        @DefaultValue("0") int nodeCaps,
        @DefaultValue("0") int nodeChannels,
        @DefaultValue("2s") @NotNull Duration safeHarbour,
        @DefaultValue("5s") @NotNull Duration sweep) {

    public CampaignProperties {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tandem.campaigns.tick must be positive");
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
}
