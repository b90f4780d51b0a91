package io.tandem.callback.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.protocol.callback.CallWake;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the devices of a sleeping callee (issue 15 part 4, RFC 8599): RING pushes a ring to every device of the
 * callee with a live push binding (collapse id {@code call-<call>}; APNs VoIP priority 10 with expiration 0, FCM
 * high-priority data with a short TTL, as {@link RoomPushes} sends every ring), remembering whom it rang; ANSWERED
 * or CANCELLED pushes the cancel with the same collapse id to exactly those devices. Idempotent: the push ledger
 * makes each push once, and an answer or cancel leaves a marker so a RING read after it wakes nobody.
 */
final class CallRinger {

    private static final Logger log = LoggerFactory.getLogger(CallRinger.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A RING read this long after it was written is not pushed: the node's wake wait (default 30 s) is over, the call
     * has been answered or given up, and a ring now would wake a device for nothing.
     */
    static final Duration RING_STALE_AFTER = Duration.ofMinutes(2);
    /** Whom a call rang is kept this long (a call rings for seconds; its cancel follows within the ring timeout). */
    private static final Duration RECORD_TTL = Duration.ofHours(1);

    private final RedisCommands<String, String> redis;
    private final WakeList wakeList;
    private final RoomPushes pushes;
    private final Clock clock;

    CallRinger(RedisCommands<String, String> redis, WakeList wakeList, RoomPushes pushes, Clock clock) {
        this.redis = redis;
        this.wakeList = wakeList;
        this.pushes = pushes;
        this.clock = clock;
    }

    /** Handles one entry of a tenant's call wakes. */
    void onCallWake(String tenant, CallWake wake) {
        switch (wake.kind()) {
            case RING -> ring(tenant, wake);
            case ANSWERED, CANCELLED -> cancel(tenant, wake);
        }
    }

    private void ring(String tenant, CallWake wake) {
        String id = wake.pushId();
        if (redis.exists(ServiceKeys.callWakeOver(tenant, id)) > 0
                || wake.at() + RING_STALE_AFTER.toMillis() <= clock.millis()) {
            log.info("call {}: no ring pushed to {}, the call is {}", wake.callId(), wake.callee(),
                    wake.at() + RING_STALE_AFTER.toMillis() <= clock.millis() ? "too old" : "already over");
            return;
        }
        List<Woken> devices = wakeList.devicesOf(tenant, wake.callee(), clock.millis());
        if (devices.isEmpty()) {
            log.warn("call {}: {} has no live push binding of a known provider; nobody woken", wake.callId(),
                    wake.callee());
            return;
        }
        String woken = ServiceKeys.callWoken(tenant, id);
        for (Woken device : devices) {
            redis.hset(woken, device.binding().device(), encode(device));
        }
        redis.pexpire(woken, RECORD_TTL.toMillis());
        // Recorded before sending: a crash in between leaves the ring to the redelivery, and the cancel to the record.
        pushes.send(tenant, "call-" + id, devices, device -> PushMessage.call(PushKind.RING,
                RoomPushes.deviceOf(device.binding()), id, wake.callerNumber(), wake.callerName()));
        log.info("call {}: {} calls {} at node {}; rang {} device(s)", wake.callId(), wake.callerNumber(),
                wake.callee(), wake.node(), devices.size());
    }

    private void cancel(String tenant, CallWake wake) {
        String id = wake.pushId();
        redis.set(ServiceKeys.callWakeOver(tenant, id), wake.kind().wire(), SetArgs.Builder.px(RECORD_TTL.toMillis()));
        List<Woken> devices = new ArrayList<>();
        for (Map.Entry<String, String> entry : redis.hgetall(ServiceKeys.callWoken(tenant, id)).entrySet()) {
            try {
                devices.add(JSON.readValue(entry.getValue(), Woken.class));
            } catch (JsonProcessingException e) {
                log.warn("call {}: wake record of device {} is not readable; no cancel for it", wake.callId(),
                        entry.getKey(), e);
            }
        }
        pushes.send(tenant, "call-" + id, devices, device -> PushMessage.call(PushKind.CANCEL,
                RoomPushes.deviceOf(device.binding()), id, "", ""));
        redis.del(ServiceKeys.callWoken(tenant, id));
        log.info("call {} to {} {}: the ring cancelled on {} device(s)", wake.callId(), wake.callee(),
                wake.kind().wire(), devices.size());
    }

    private static String encode(Woken device) {
        try {
            return JSON.writeValueAsString(device);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and numbers are always JSON", e);
        }
    }
}
