package io.tandem.backend.registrar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.PushBinding;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * RFC 8599 push bindings in Redis ({@link Keys#pushBindings}, the callback contract's hash): one field per device,
 * its {@link PushBinding} as JSON. A binding outlives the SIP binding (its own {@code expiresAt}); readers skip
 * expired fields, and every REGISTER of the user prunes them ({@code register.lua}); a REGISTER carrying push
 * parameters writes its bindings with the {@link DeviceEvent}s the callback service reacts to in one script
 * ({@code redis/registrar/push_bind.lua}).
 */
@Service
public class PushBindings {

    /** Entries the device-event stream keeps (approximately: {@code MAXLEN ~}). */
    static final int DEVICE_EVENTS_KEPT = 10_000;

    private static final Logger log = LoggerFactory.getLogger(PushBindings.class);
    private static final LuaScript PUSH_BIND = LuaScript.load("registrar/push_bind", ScriptOutputType.INTEGER);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Redis redis;
    private final Clock clock;

    public PushBindings(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** The user's push bindings that have not expired, most recently refreshed first. */
    public List<PushBinding> find(String tenant, String user) {
        return fetch(tenant, user).get();
    }

    /**
     * As {@link #find}, asked now and answered by the supplier: whatever the caller sends to Redis in between shares
     * the round trip (a call sends its callee's route lookup with it).
     */
    public Supplier<List<PushBinding>> fetch(String tenant, String user) {
        RedisFuture<Map<String, String>> reply = redis.async().hgetall(Keys.pushBindings(tenant, user));
        return () -> unexpired(tenant, user, Redis.await(reply));
    }

    private List<PushBinding> unexpired(String tenant, String user, Map<String, String> hash) {
        long now = clock.millis();
        List<PushBinding> found = new ArrayList<>();
        for (Map.Entry<String, String> field : hash.entrySet()) {
            try {
                PushBinding binding = JSON.readValue(field.getValue(), PushBinding.class);
                if (binding.expiresAt() > now) {
                    found.add(binding);
                }
            } catch (JsonProcessingException e) {
                // Written only by push_bind.lua from PushBinding: an unreadable one is someone else's write.
                log.warn("push binding {} of {}@{} is unreadable and skipped: {}", field.getKey(), user, tenant,
                        e.getOriginalMessage());
            }
        }
        found.sort(Comparator.comparingLong(PushBinding::updatedAt).reversed());
        return found;
    }

    /** Stores the bindings of one REGISTER and appends a device event for each, in one script. */
    void write(String tenant, String user, List<PushBinding> bindings) {
        List<String> args = new ArrayList<>(List.of(Long.toString(clock.millis()),
                Integer.toString(DEVICE_EVENTS_KEPT)));
        for (PushBinding binding : bindings) {
            args.add(binding.device());
            args.add(binding.prid());
            args.add(encode(binding));
            args.add(Long.toString(binding.expiresAt()));
            Map<String, String> event = new DeviceEvent(user, binding.device(), binding.provider(), binding.node(),
                    binding.updatedAt()).fields();
            args.add(Integer.toString(event.size()));
            event.forEach((name, value) -> {
                args.add(name);
                args.add(value);
            });
        }
        redis.run(PUSH_BIND, List.of(Keys.pushBindings(tenant, user), Keys.deviceEvents(tenant)),
                args.toArray(String[]::new));
    }

    private static String encode(PushBinding binding) {
        try {
            return JSON.writeValueAsString(binding);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a push binding", e);
        }
    }
}
