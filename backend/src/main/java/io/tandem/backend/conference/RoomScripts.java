package io.tandem.backend.conference;

import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.ScriptReply;
import io.tandem.protocol.callback.RoomEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripts that change a room ({@code resources/redis/conference/*.lua}): each changes the room's hash and
 * appends the matching {@link RoomEvent} to the tenant's room-event stream in one run. Every run passes the tenant's
 * key prefix, the time from the injected clock, this node's id and the stream lengths ahead of its own arguments.
 */
final class RoomScripts {

    static final LuaScript OPEN = LuaScript.load("conference/open", ScriptOutputType.INTEGER);
    static final LuaScript JOIN = LuaScript.load("conference/join", ScriptOutputType.VALUE);
    static final LuaScript CLOSE = LuaScript.load("conference/close", ScriptOutputType.INTEGER);

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
                Long.toString(p.deadline()));
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
