package io.tandem.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.protocol.callback.CallWake;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.protocol.callback.PushBinding;
import io.tandem.protocol.callback.RoomEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The nodes' side of the contract, written straight into a real Redis as the nodes write it (protocol's
 * {@code CallbackKeys}, {@code NodeKeys}, {@code RoomEvent}, {@code DeviceEvent}, {@code PushBinding}): tenants,
 * heartbeats, users, agents, queue members, push bindings, rooms and their events.
 */
public final class NodeSide implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    public final RedisCommands<String, String> redis;

    public NodeSide(String uri) {
        client = RedisClient.create(uri);
        connection = client.connect();
        redis = connection.sync();
    }

    public void tenant(String tenant) {
        redis.sadd(NodeKeys.tenants(), tenant);
    }

    /** A live node (in the node set, its heartbeat key without TTL for the test's length), as a node's Heartbeat. */
    public void nodeAlive(String node) {
        redis.sadd(NodeKeys.nodes(), node);
        redis.hset(NodeKeys.node(node), Map.of("sip", "sip:127.0.0.1:5060", "instance", "test"));
    }

    public void member(String tenant, String queue, String extension, double position) {
        redis.zadd(NodeKeys.queueMembers(tenant, queue), position, extension);
    }

    public void agentState(String tenant, String agent, String state) {
        redis.hset(NodeKeys.agent(tenant, agent), Map.of("state", state, "version", "1"));
    }

    public void pushBinding(String tenant, String user, String device, String token, long expiresAt) {
        PushBinding binding = new PushBinding(device, "apns", token, MockApns.PN_PARAM, "n1", expiresAt - 1000,
                expiresAt);
        try {
            redis.hset(CallbackKeys.pushBindings(tenant, user), device, JSON.writeValueAsString(binding));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A directory user, as the node's Directory writes it (HA1 = SHA-256 of ext:tenant:password, RFC 7616). */
    public void user(String tenant, String extension, String password, String roles) {
        redis.hset(NodeKeys.user(tenant, extension), Map.of("displayName", "User " + extension, "roles", roles,
                "ha1sha256", sha256(extension + ":" + tenant + ":" + password), "ha1md5", "unused"));
    }

    /** Parks a caller: the room hash the node keeps, then its PARKED event. */
    public String park(String tenant, RoomEvent parked) {
        redis.hset(CallbackKeys.room(tenant, parked.room()), Map.of("state", "parked", "node", parked.node(),
                "callId", parked.callId(), "queue", parked.queue()));
        redis.sadd(CallbackKeys.rooms(tenant), parked.room());
        return roomEvent(tenant, parked);
    }

    public String roomEvent(String tenant, RoomEvent event) {
        if (event.kind() != RoomEvent.Kind.PARKED) {
            redis.hset(CallbackKeys.room(tenant, event.room()), "state",
                    event.kind() == RoomEvent.Kind.JOINED ? "connected" : "closed");
        }
        return redis.xadd(CallbackKeys.roomEvents(tenant), event.fields());
    }

    public String deviceEvent(String tenant, DeviceEvent event) {
        return redis.xadd(CallbackKeys.deviceEvents(tenant), event.fields());
    }

    public String callWake(String tenant, CallWake wake) {
        return redis.xadd(CallbackKeys.callWakes(tenant), wake.fields());
    }

    public List<StreamMessage<String, String>> commands(String node) {
        return redis.xrange(CallbackKeys.nodeCommands(node), Range.create("-", "+"));
    }

    /**
     * Whether the services' group has read the stream up to {@code id} and acknowledged everything: the entry was
     * handled, and so was everything before it.
     */
    public boolean handled(String stream, String id) {
        for (Object group : redis.xinfoGroups(stream)) {
            List<?> fields = (List<?>) group;
            String name = null;
            long pending = -1;
            String lastDelivered = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String key = String.valueOf(fields.get(i));
                Object value = fields.get(i + 1);
                switch (key) {
                    case "name" -> name = String.valueOf(value);
                    case "pending" -> pending = ((Number) value).longValue();
                    case "last-delivered-id" -> lastDelivered = String.valueOf(value);
                    default -> {
                    }
                }
            }
            if (CallbackKeys.SERVICE_GROUP.equals(name)) {
                return pending == 0 && lastDelivered != null && compareIds(lastDelivered, id) >= 0;
            }
        }
        return false;
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int byTime = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return byTime != 0 ? byTime : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
