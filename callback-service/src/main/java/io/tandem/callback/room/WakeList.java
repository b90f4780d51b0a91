package io.tandem.callback.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.push.PushNetwork;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.protocol.callback.PushBinding;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whom a parked caller wakes: the queue's members who are asleep — logged out or not ready (an agent without an ACD
 * record has never logged in) — and hold a live RFC 8599 push binding or have their desktop softphone running (its agent
 * WebSocket open on a live node). All of them at once, or by tier ({@link TierPlan}) as the queue says; an
 * available, reserved, on-call or wrapping-up agent is already at work and is left to the ACD.
 */
final class WakeList {

    private static final Logger log = LoggerFactory.getLogger(WakeList.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The states (wire names, from {@link AgentState}) in which an agent is woken. */
    static final Set<String> ASLEEP = Set.of(wire(AgentState.LOGGED_OUT), wire(AgentState.NOT_READY));

    /**
     * A softphone whose node marked it seen this recently is running. The node marks every sweep (1 s by default);
     * this leaves room for a slow sweep without waking a softphone closed long ago.
     */
    static final Duration SOFTPHONE_SEEN_WITHIN = Duration.ofSeconds(10);
    /** The device key of a softphone in the room's wake record (users' devices share that hash, so it names the user). */
    static final String SOFTPHONE_DEVICE_PREFIX = "softphone:";

    private final RedisCommands<String, String> redis;

    WakeList(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The devices to wake for a caller of {@code queue} at {@code now} (epoch ms). */
    List<Woken> whom(String tenant, String queue, long now) {
        List<Woken> devices = new ArrayList<>();
        for (String member : redis.zrange(NodeKeys.queueMembers(tenant, queue), 0, -1)) {
            Map<String, String> agent = redis.hgetall(NodeKeys.agent(tenant, member));
            String state = agent.get("state");
            if (state != null && !ASLEEP.contains(state)) {
                continue;
            }
            String node = agent.getOrDefault("node", "");
            softphone(tenant, member, agent, !node.isEmpty() && redis.exists(NodeKeys.node(node)) > 0, now)
                    .ifPresent(binding -> devices.add(new Woken(member, binding)));
            devices.addAll(devicesOf(tenant, member, now));
        }
        return devices;
    }

    /** {@code devices} ({@link #whom}'s), in the order a queue that wakes by tiers wakes them: its members' tiers. */
    TierPlan plan(String tenant, String queue, List<Woken> devices) {
        return TierPlan.of(devices, redis.hgetall(NodeKeys.queueTiers(tenant, queue)));
    }

    /** The user's devices with a live push binding of a provider this service knows, at {@code now} (epoch ms). */
    List<Woken> devicesOf(String tenant, String user, long now) {
        List<Woken> devices = new ArrayList<>();
        for (Map.Entry<String, String> field : redis.hgetall(CallbackKeys.pushBindings(tenant, user)).entrySet()) {
            PushBinding binding = read(tenant, user, field.getKey(), field.getValue());
            if (binding == null || binding.expiresAt() <= now) {
                continue;
            }
            if (PushNetwork.WEBSOCKET.pnProvider().equalsIgnoreCase(binding.provider())) {
                log.warn("{}'s device {} registered with pn-provider websocket, which only the service makes; "
                        + "not woken", user, binding.device());
                continue;
            }
            if (PushNetwork.ofPnProvider(binding.provider()).isEmpty()) {
                log.debug("{}'s device {} has push provider '{}', which this service does not know", user,
                        binding.device(), binding.provider());
                continue;
            }
            devices.add(new Woken(user, binding));
        }
        return devices;
    }

    /**
     * The member's running softphone as a device to wake, if it has one: the node holding its agent WebSocket marks
     * the agent hash {@code seen} on every sweep (about every second) while the socket is open, and names itself in
     * {@code node}. A mark older than {@link #SOFTPHONE_SEEN_WITHIN}, or a node without heartbeat, is a softphone
     * that is gone. Such a device is the agent's own ({@code pn-prid}), in the tenant ({@code pn-param}).
     */
    static Optional<PushBinding> softphone(String tenant, String member, Map<String, String> agent, boolean nodeAlive,
            long now) {
        String seen = agent.getOrDefault("seen", "");
        if (!nodeAlive || !seen.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        long seenAt = Long.parseLong(seen);
        if (now - seenAt > SOFTPHONE_SEEN_WITHIN.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(new PushBinding(SOFTPHONE_DEVICE_PREFIX + member, PushNetwork.WEBSOCKET.pnProvider(),
                member, tenant, agent.get("node"), seenAt, seenAt + SOFTPHONE_SEEN_WITHIN.toMillis()));
    }

    private static PushBinding read(String tenant, String user, String device, String value) {
        try {
            return JSON.readValue(value, PushBinding.class);
        } catch (JsonProcessingException e) {
            log.warn("push binding {} of {} in tenant {} is not a PushBinding as JSON; skipped: {}", device, user,
                    tenant, e.getOriginalMessage());
            return null;
        }
    }

    private static String wire(AgentState state) {
        return JSON.convertValue(state, String.class);
    }
}
