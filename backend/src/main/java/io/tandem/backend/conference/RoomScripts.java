package io.tandem.backend.conference;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.ScriptReply;
import io.tandem.protocol.callback.RoomEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scripts that change a room ({@code resources/redis/conference/*.lua}): each changes the room's hash and
 * appends the matching {@link RoomEvent} to the tenant's room-event stream in one run. Every run passes the tenant's
 * key prefix, the time from the injected clock, this node's id and the stream lengths ahead of its own arguments.
 */
final class RoomScripts {

    static final LuaScript OPEN = LuaScript.load("conference/open", ScriptOutputType.INTEGER);
    static final LuaScript JOIN = LuaScript.load("conference/join", ScriptOutputType.VALUE);
    static final LuaScript CLOSE = LuaScript.load("conference/close", ScriptOutputType.INTEGER);
    static final LuaScript REFUSE = LuaScript.load("conference/refuse", ScriptOutputType.INTEGER);

    /** What {@code join.lua} answers. */
    record Joined(String outcome, String agent) {
    }

    private final Redis redis;
    private final Clock clock;
    private final String nodeId;
    private final ConferenceProperties properties;
    private final long queueLogMaxLength;

    RoomScripts(Redis redis, Clock clock, String nodeId, ConferenceProperties properties, long queueLogMaxLength) {
        this.redis = redis;
        this.clock = clock;
        this.nodeId = nodeId;
        this.properties = properties;
        this.queueLogMaxLength = queueLogMaxLength;
    }

    Clock clock() {
        return clock;
    }

    String nodeId() {
        return nodeId;
    }

    /** The room opens, parked; false when its id is taken. */
    boolean open(String roomId, Room.Parked p) {
        Long opened = run(OPEN, p.tenant(), List.of(Keys.room(p.tenant(), roomId), Keys.rooms(p.tenant()),
                Keys.roomEvents(p.tenant())), roomId, p.callId(), p.queue(), p.callerNumber(), p.callerName(),
                Long.toString(p.enqueuedAt()), Integer.toString(p.priority()), p.reason(),
                Long.toString(p.deadline()), p.wake().wireName(), Long.toString(p.wakeTierDelayMs()));
        return opened != null && opened == 1;
    }

    /** {@code user} joins: the first join wins. */
    Joined join(String tenant, String roomId, String user) {
        return ScriptReply.decode(run(JOIN, tenant, List.of(Keys.room(tenant, roomId), Keys.roomEvents(tenant)),
                user), Joined.class);
    }

    /** The room closes with {@code kind} (abandoned, closed, lost); false when it already was closed. */
    boolean close(String tenant, String roomId, RoomEvent.Kind kind, String reason) {
        Long closed = run(CLOSE, tenant, List.of(Keys.room(tenant, roomId), Keys.rooms(tenant),
                Keys.roomEvents(tenant), Keys.queueLog(tenant)), kind.wire(), reason,
                Long.toString(properties.closedRoomKeepSeconds()));
        return closed != null && closed == 1;
    }

    /** A join of {@code user} was refused for {@code why} without reaching the room: REFUSED. */
    void refuse(String tenant, String roomId, String user, String why) {
        run(REFUSE, tenant, List.of(Keys.room(tenant, roomId), Keys.roomEvents(tenant)), user, why);
    }

    /** The node holding the room and its state; empty fields when there is no such room. */
    Map<String, String> where(String tenant, String roomId) {
        return redis.commands().hgetall(Keys.room(tenant, roomId));
    }

    /** 1 + the parked rooms of {@code queue} ahead of this one (priority, then first enqueue); 0 when not parked. */
    int position(String tenant, String queue, String roomId) {
        Long rank = redis.commands().zrank(Keys.queueParked(tenant, queue), roomId);
        return rank == null ? 0 : rank.intValue() + 1;
    }

    /**
     * Records a join token's single use: SET NX with a TTL to its expiry. False when it was used before.
     */
    boolean useOnce(String tenant, String tokenId, long expiresAt) {
        long ttl = Math.max(1, expiresAt - clock.millis());
        return "OK".equals(redis.commands().set(Keys.usedJoinToken(tenant, tokenId), "1",
                SetArgs.Builder.nx().px(ttl)));
    }

    private <T> T run(LuaScript script, String tenant, List<String> keys, String... args) {
        List<String> all = new ArrayList<>(5 + args.length);
        all.add(Keys.tenantPrefix(tenant));
        all.add(Long.toString(clock.millis()));
        all.add(nodeId);
        all.add(Long.toString(properties.roomEventsMaxLength()));
        all.add(Long.toString(queueLogMaxLength));
        all.addAll(List.of(args));
        return redis.run(script, keys, all.toArray(String[]::new));
    }
}
