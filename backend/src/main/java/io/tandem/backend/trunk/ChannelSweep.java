package io.tandem.backend.trunk;

import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the trunk channels of nodes that died holding calls: a node releases a channel when its call ends, so a
 * node that stopped without ending them leaves them seized and the trunk would carry fewer calls for good. Every
 * node sweeps (the work is idempotent): a channel whose node's heartbeat is gone is removed. Run by the trunk timer
 * at each registration check.
 */
final class ChannelSweep {

    private static final Logger log = LoggerFactory.getLogger(ChannelSweep.class);

    private final Directory directory;
    private final Trunks trunks;
    private final NodeRegistry nodes;
    private final Redis redis;

    ChannelSweep(Directory directory, Trunks trunks, NodeRegistry nodes, Redis redis) {
        this.directory = directory;
        this.trunks = trunks;
        this.nodes = nodes;
        this.redis = redis;
    }

    /** Removes every channel held by a node that is not alive; returns how many. */
    int sweep() {
        Set<String> alive = nodes.aliveIds();
        int removed = 0;
        for (String tenant : directory.tenants()) {
            if (!Keys.TENANT.matcher(tenant).matches()) {
                continue;
            }
            for (Trunk trunk : trunks.list(tenant)) {
                String key = Keys.trunkChannels(tenant, trunk.id());
                for (Map.Entry<String, String> channel : redis.commands().hgetall(key).entrySet()) {
                    if (!alive.contains(channel.getValue())) {
                        removed += redis.commands().hdel(key, channel.getKey()).intValue();
                        releaseGroups(tenant, channel.getValue(), channel.getKey());
                        log.warn("trunk {}@{}: channel {} of dead node {} given back", trunk.id(), tenant,
                                channel.getKey(), channel.getValue());
                    }
                }
            }
        }
        return removed;
    }

    /**
     * The node's and the group's count of a dead node's channel: the group is the extensions' or a campaign's, and
     * the Call-ID is in at most one of them (removing it from the others does nothing).
     */
    private void releaseGroups(String tenant, String node, String callId) {
        redis.commands().hdel(Keys.outboundNodeChannels(tenant, node), callId);
        redis.commands().hdel(Keys.outboundChannels(tenant, OutboundLimits.EXTENSIONS), callId);
        for (String campaign : redis.commands().hkeys(Keys.campaigns(tenant))) {
            if (Keys.CAMPAIGN.matcher(campaign).matches()) {
                redis.commands().hdel(Keys.outboundChannels(tenant, OutboundLimits.campaignGroup(campaign)), callId);
            }
        }
    }
}
