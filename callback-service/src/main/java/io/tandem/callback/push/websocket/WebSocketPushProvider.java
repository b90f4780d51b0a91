package io.tandem.callback.push.websocket;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.TenantEvents;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushProvider;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeKeys;
import java.util.concurrent.CompletableFuture;

/**
 * Reaches a running desktop softphone: the ring becomes a {@link CallbackWake} and the cancel a
 * {@link CallbackWakeEnded}, published on the tenant's live channel with the agent's id; every node fans that channel
 * out, and the one holding the agent's WebSocket delivers it to that agent only. The device's {@code pn-prid} is the
 * agent, its {@code pn-param} the tenant.
 *
 * <p>The wake says where to dial: {@code sip:join*<token>@<host:port>} of the node holding the room (its heartbeat's
 * {@code sip}), since that node alone can put the agent into the room.
 */
public final class WebSocketPushProvider implements PushProvider {

    /** The start of the request-URI's user part that the room's node takes as a join with the token after it. */
    static final String JOIN_PREFIX = "join*";

    private final RedisCommands<String, String> redis;
    private final TenantEvents events;

    public WebSocketPushProvider(RedisCommands<String, String> redis, TenantEvents events) {
        this.redis = redis;
        this.events = events;
    }

    @Override
    public PushNetwork network() {
        return PushNetwork.WEBSOCKET;
    }

    @Override
    public CompletableFuture<PushOutcome> send(PushMessage message) {
        String agent = message.device().prid();
        String tenant = message.device().param();
        if (tenant.isEmpty()) {
            return done(new PushOutcome.Refused("a websocket device names its tenant in pn-param"));
        }
        try {
            long nodes;
            if (message.kind() == PushKind.CANCEL) {
                nodes = events.publishTo(tenant, agent, CallbackWakeEnded.KIND,
                        new CallbackWakeEnded(message.roomId()).fields());
            } else {
                String node = redis.hget(CallbackKeys.room(tenant, message.roomId()), "node");
                String sip = node == null ? null : redis.hget(NodeKeys.node(node), "sip");
                if (sip == null || !sip.startsWith("sip:")) {
                    return done(new PushOutcome.Refused("the room's node " + (node == null ? "is unknown"
                            : node + " has no SIP address in its heartbeat")));
                }
                nodes = events.publishTo(tenant, agent, CallbackWake.KIND, new CallbackWake(message.roomId(),
                        message.callerNumber(), message.callerName(), message.queue(), message.waitedSeconds(),
                        message.joinToken(), joinUri(sip, message.joinToken())).fields());
            }
            return done(nodes > 0 ? new PushOutcome.Accepted("nodes=" + nodes)
                    : new PushOutcome.Failed("no node is listening on the live channel"));
        } catch (RedisException e) {
            return done(new PushOutcome.Failed("redis: " + e.getMessage()));
        }
    }

    /** {@code sip:join*<token>@host:port} from the node's {@code sip:host:port}. */
    static String joinUri(String nodeSip, String token) {
        return "sip:" + JOIN_PREFIX + token + "@" + nodeSip.substring("sip:".length());
    }

    private static CompletableFuture<PushOutcome> done(PushOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    @Override
    public void close() {
        // the shared Redis connection belongs to the service
    }
}
