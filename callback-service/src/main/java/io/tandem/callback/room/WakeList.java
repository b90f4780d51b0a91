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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whom a parked caller wakes: the queue's members who are asleep — logged out or not ready (an agent without an ACD
 * record has never logged in) — and hold a live RFC 8599 push binding. All of them at once; an available, reserved,
 * on-call or wrapping-up agent is already at work and is left to the ACD.
 */
final class WakeList {

    private static final Logger log = LoggerFactory.getLogger(WakeList.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The states (wire names, from {@link AgentState}) in which an agent is woken. */
    static final Set<String> ASLEEP = Set.of(wire(AgentState.LOGGED_OUT), wire(AgentState.NOT_READY));

    private final RedisCommands<String, String> redis;

    WakeList(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    /** The devices to wake for a caller of {@code queue} at {@code now} (epoch ms). */
    List<Woken> whom(String tenant, String queue, long now) {
        List<Woken> devices = new ArrayList<>();
        for (String member : redis.zrange(NodeKeys.queueMembers(tenant, queue), 0, -1)) {
            String state = redis.hget(NodeKeys.agent(tenant, member), "state");
            if (state != null && !ASLEEP.contains(state)) {
                continue;
            }
            for (Map.Entry<String, String> field : redis.hgetall(CallbackKeys.pushBindings(tenant, member))
                    .entrySet()) {
                PushBinding binding = read(tenant, member, field.getKey(), field.getValue());
                if (binding == null || binding.expiresAt() <= now) {
                    continue;
                }
                if (PushNetwork.ofPnProvider(binding.provider()).isEmpty()) {
                    log.debug("{}'s device {} has push provider '{}', which this service does not know", member,
                            binding.device(), binding.provider());
                    continue;
                }
                devices.add(new Woken(member, binding));
            }
        }
        return devices;
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
