package io.tandem.backend.campaign;

import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a tick of the {@link CampaignScheduler} dials: every tenant's running campaigns and the tenants' limits on this
 * node, listed afresh each tick; every {@code tandem.campaigns.sweep} the same pass settles the claims of dead nodes
 * ({@link Attempts#sweep}). The scheduler's thread only.
 */
final class RunningCampaigns {

    /** The running campaigns of a tick, and the limits of their tenants by tenant. */
    record Listed(List<RunningCampaign> campaigns, Map<String, DialerLimits> limits) {

        static final Listed NONE = new Listed(List.of(), Map.of());
    }

    private final Directory directory;
    private final Campaigns campaigns;
    private final NodeRegistry nodes;
    private final Redis redis;
    private final Attempts attempts;
    private final CampaignProperties properties;
    private final String nodeId;
    private long lastSweep;

    RunningCampaigns(Directory directory, Campaigns campaigns, NodeRegistry nodes, Redis redis, Attempts attempts,
            CampaignProperties properties, String nodeId) {
        this.directory = directory;
        this.campaigns = campaigns;
        this.nodes = nodes;
        this.redis = redis;
        this.attempts = attempts;
        this.properties = properties;
        this.nodeId = nodeId;
    }

    /** The running campaigns and their tenants' limits, for this tick; the claims of dead nodes when it is time. */
    Listed list(long now) {
        List<RunningCampaign> listed = new ArrayList<>();
        Map<String, DialerLimits> layered = new HashMap<>();
        boolean sweeping = now - lastSweep >= properties.sweep().toMillis();
        for (String tenant : directory.tenants()) {
            if (!Keys.TENANT.matcher(tenant).matches()) {
                continue;
            }
            List<Campaign> ofTenant = campaigns.running(tenant);
            if (sweeping) {
                sweep(tenant, now);
            }
            if (!ofTenant.isEmpty()) {
                ofTenant.forEach(c -> listed.add(new RunningCampaign(tenant, c)));
                layered.put(tenant, limits(tenant));
            }
        }
        if (sweeping) {
            lastSweep = now;
        }
        return new Listed(listed, layered);
    }

    /** The tenant's limits on this node: template, tenant, node (only its concurrency). */
    DialerLimits limits(String tenant) {
        return DialerLimits.of(properties).layered(redis.commands().hgetall(Keys.dialerTemplate()),
                redis.commands().hgetall(Keys.dialerLimits(tenant)),
                redis.commands().hgetall(Keys.dialerNodeLimits(tenant, nodeId)));
    }

    private void sweep(String tenant, long now) {
        Set<String> alive = nodes.aliveIds();
        for (Campaign campaign : campaigns.list(tenant)) {
            attempts.sweep(tenant, campaign, alive, now);
        }
    }
}
