package io.tandem.backend.trunk;

import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import org.springframework.stereotype.Service;

/**
 * The channels calls from the public network occupy: a DID call holds one of its trunk's channels (an entry of
 * {@link Keys#trunkChannels}, its Call-ID → this node, the same hash {@code trunk/seize.lua} counts) from the
 * moment its destination takes it until it ends, so an outgoing call sees the trunk as full as the carrier does. The
 * carrier decides how many calls it sends: a call that comes in is never refused for the trunk's limit, only counted.
 * A node that dies holding one leaves it to {@link ChannelSweep}, like its outgoing channels.
 */
@Service
public class CarrierChannels {

    private final Redis redis;
    private final OwedWrites writes;
    private final String nodeId;

    public CarrierChannels(Redis redis, OwedWrites writes, NodeIdentity identity) {
        this.redis = redis;
        this.writes = writes;
        this.nodeId = identity.id();
    }

    /** The call {@code callId} that came in over {@code carrier} holds a channel of its trunk (owed). */
    public void occupy(String tenant, String callId, CarrierLeg carrier) {
        if (carrier == null || !carrier.inbound()) {
            return;
        }
        writes.owe("trunk " + carrier.trunk() + ": channel of incoming " + callId,
                () -> redis.commands().hset(Keys.trunkChannels(tenant, carrier.trunk()), callId, nodeId));
    }

    /**
     * The call {@code callId} that came in over {@code carrier} ended: its channel is given back (owed, after the
     * {@link #occupy} it follows on the same writes thread).
     */
    public void release(String tenant, String callId, CarrierLeg carrier) {
        if (carrier == null || !carrier.inbound()) {
            return;
        }
        writes.owe("trunk " + carrier.trunk() + ": channel of incoming " + callId + " released",
                () -> redis.commands().hdel(Keys.trunkChannels(tenant, carrier.trunk()), callId));
    }
}
