package io.tandem.backend.queuecall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.LiveCall;
import io.tandem.protocol.Monitor;
import io.tandem.protocol.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster-wide list of live calls ({@link LiveCall.State}: connected queue calls, parked callers' rooms alone or
 * joined, callback tickets dialling or connected) and the monitor on each, in two tenant hashes keyed by call id
 * ({@link Keys#liveCalls}, {@link Keys#callMonitors}); the node holding a call's media writes its entry when the
 * call is listed (and again when it changes state) and removes it when the call ends. A node that dies cannot
 * remove its entries, so a reader skips (and prunes) every entry whose media node is no longer alive. Monitor
 * commands travel on the media node's channel; monitor events go into the tenant's event stream like the ACD's.
 */
final class LiveCalls {

    /** Removes the monitor of a call only if it is still the one named (a newer monitor is left alone). */
    private static final LuaScript DROP_MONITOR = LuaScript.load("queuecall/drop_monitor", ScriptOutputType.INTEGER);

    private final Redis redis;
    private final NodeRegistry nodes;
    private final AcdScripts scripts;
    private final ObjectMapper json = Protocol.mapper();

    LiveCalls(Redis redis, NodeRegistry nodes, AcdScripts scripts) {
        this.redis = redis;
        this.nodes = nodes;
        this.scripts = scripts;
    }

    void put(String tenant, LiveCall call) {
        redis.commands().hset(Keys.liveCalls(tenant), call.callId(), write(call.with(null)));
    }

    /** The call ended: off the list, with its monitor. */
    void remove(String tenant, String callId) {
        redis.commands().hdel(Keys.liveCalls(tenant), callId);
        redis.commands().hdel(Keys.callMonitors(tenant), callId);
    }

    /** The call, if it is listed and its media node alive. */
    Optional<LiveCall> find(String tenant, String callId) {
        String raw = redis.commands().hget(Keys.liveCalls(tenant), callId);
        if (raw == null) {
            return Optional.empty();
        }
        LiveCall call = read(raw, LiveCall.class);
        return call != null && nodes.isAlive(call.callerNode()) ? Optional.of(call) : Optional.empty();
    }

    /** Every listed call of the tenant on a live node, with its monitor, oldest first. */
    List<LiveCall> list(String tenant) {
        Map<String, String> monitors = redis.commands().hgetall(Keys.callMonitors(tenant));
        List<LiveCall> calls = new ArrayList<>();
        for (Map.Entry<String, String> entry : redis.commands().hgetall(Keys.liveCalls(tenant)).entrySet()) {
            LiveCall call = read(entry.getValue(), LiveCall.class);
            if (call == null || !nodes.isAlive(call.callerNode())) {
                // its node died with it (or the entry is unreadable): nobody else would ever remove it
                redis.commands().hdel(Keys.liveCalls(tenant), entry.getKey());
                redis.commands().hdel(Keys.callMonitors(tenant), entry.getKey());
                continue;
            }
            String monitor = monitors.get(entry.getKey());
            calls.add(call.with(monitor == null ? null : read(monitor, Monitor.class)));
        }
        calls.sort(Comparator.comparingLong(LiveCall::startedAt));
        return calls;
    }

    Optional<Monitor> monitor(String tenant, String callId) {
        return Optional.ofNullable(redis.commands().hget(Keys.callMonitors(tenant), callId))
                .map(raw -> read(raw, Monitor.class));
    }

    /** Records a new monitor unless the call already has one (one monitor per call). */
    boolean claimMonitor(String tenant, Monitor monitor) {
        return Boolean.TRUE.equals(redis.commands().hsetnx(Keys.callMonitors(tenant), monitor.callId(),
                write(monitor)));
    }

    void saveMonitor(String tenant, Monitor monitor) {
        redis.commands().hset(Keys.callMonitors(tenant), monitor.callId(), write(monitor));
    }

    void dropMonitor(String tenant, String callId, String monitorId) {
        redis.run(DROP_MONITOR, List.of(Keys.callMonitors(tenant)), callId, monitorId);
    }

    /** Sends a command to the node holding the call's media; false when no node listens there. */
    boolean send(String mediaNode, MonitorCommand command) {
        Long receivers = redis.commands().publish(Keys.nodeMonitors(mediaNode), write(command));
        return receivers != null && receivers > 0;
    }

    /**
     * A tenant event ({@code monitor.started}, {@code monitor.changed}, {@code monitor.ended}) for supervisors, written
     * by the ACD's own emit ({@code acd/event.lua}) so that it reaches the stream and the live channel as theirs do.
     */
    void event(String tenant, String kind, String queue, String agent, Monitor monitor, String reason) {
        List<String> args = new ArrayList<>(List.of(kind, queue, agent, monitor.callId(),
                "monitorId", monitor.monitorId(), "mode", monitor.mode(), "extension", monitor.extension(),
                "supervisor", monitor.supervisor()));
        if (reason != null) {
            args.addAll(List.of("reason", reason));
        }
        scripts.run(AcdScripts.EVENT, tenant, List.of(Keys.events(tenant)), args.toArray(String[]::new));
    }

    <T> T read(String raw, Class<T> type) {
        try {
            return json.readValue(raw, type);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }
}
