package io.tandem.callback.room;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.callback.cluster.CallbackProperties;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.callback.push.PushDevice;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushSender;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.PushBinding;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a room's pushes to the woken devices and keeps the record: each outcome goes to the tenant's push record
 * stream ({@code tandem:{t}:pushes}: sent and accepted, refused with the provider's reason, dead token, failed), and a
 * dead token's push binding is removed (RFC 8599 §4.1: the PNS said the prid is no longer valid). Sending goes through
 * the {@link PushSender}, so its ledger makes each push once across every instance, and its metrics count them
 * ({@code tandem.push.sent{provider,outcome}}). The pushes of a room go out at once; {@code tandem.push.in-flight}
 * counts those sent and not yet answered, across every room being handled.
 */
final class RoomPushes {

    private static final Logger log = LoggerFactory.getLogger(RoomPushes.class);

    /**
     * KEYS[1] the user's push bindings; ARGV[1] device, ARGV[2] the prid that was found dead. Removes the binding only
     * if it still holds that prid: a REGISTER since may have brought a new token for the same device.
     */
    private static final String DROP_DEAD = """
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if not value then return 0 end
            local ok, binding = pcall(cjson.decode, value)
            if ok and type(binding) == 'table' and binding.prid == ARGV[2] then
              return redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 0
            """;

    private final PushSender sender;
    private final RedisCommands<String, String> redis;
    private final CallbackProperties properties;
    private final Clock clock;
    /** Pushes sent and not yet answered by their provider (or the ledger); changed from every handler thread. */
    private final AtomicInteger inFlight = new AtomicInteger();

    RoomPushes(PushSender sender, RedisCommands<String, String> redis, CallbackProperties properties, Clock clock,
            MeterRegistry meters) {
        this.sender = sender;
        this.redis = redis;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder("tandem.push.in-flight", inFlight, AtomicInteger::get)
                .description("Pushes sent and waiting for the provider's answer")
                .register(meters);
    }

    /** Sends one push per device ({@code message} makes it), waits for every outcome and records them. */
    void send(String tenant, String room, List<Woken> devices, Function<Woken, PushMessage> message) {
        List<CompletableFuture<PushOutcome>> outcomes = new ArrayList<>();
        List<PushMessage> messages = new ArrayList<>();
        for (Woken device : devices) {
            PushMessage push = message.apply(device);
            messages.add(push);
            inFlight.incrementAndGet();
            outcomes.add(sender.send(push).whenComplete((outcome, failure) -> inFlight.decrementAndGet()));
        }
        for (int i = 0; i < devices.size(); i++) {
            // Never exceptional (PushSender's contract); bounded by the providers' send timeouts.
            record(tenant, room, devices.get(i), messages.get(i), outcomes.get(i).join());
        }
    }

    static PushDevice deviceOf(PushBinding binding) {
        PushNetwork network = PushNetwork.ofPnProvider(binding.provider()).orElseThrow(
                () -> new IllegalArgumentException("unknown push provider '" + binding.provider() + "'"));
        return new PushDevice(network, binding.prid(), binding.param());
    }

    private void record(String tenant, String room, Woken device, PushMessage push, PushOutcome outcome) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("at", Long.toString(clock.millis()));
        fields.put("room", room);
        fields.put("user", device.user());
        fields.put("device", device.binding().device());
        fields.put("provider", device.binding().provider());
        fields.put("kind", push.kind().wireName());
        fields.put("outcome", outcome.label());
        fields.put("detail", outcome.detail() == null ? "" : outcome.detail());
        fields.put("instance", properties.name());
        redis.xadd(ServiceKeys.pushRecords(tenant),
                XAddArgs.Builder.maxlen(properties.recordsMaxLength()).approximateTrimming(), fields);
        if (outcome instanceof PushOutcome.DeadToken dead) {
            Long dropped = redis.eval(DROP_DEAD, ScriptOutputType.INTEGER,
                    new String[] {CallbackKeys.pushBindings(tenant, device.user())}, device.binding().device(),
                    device.binding().prid());
            if (dropped != null && dropped > 0) {
                log.info("push binding {} of {} (tenant {}) removed: {} says the token is dead ({})",
                        device.binding().device(), device.user(), tenant, device.binding().provider(), dead.reason());
            }
        }
    }
}
