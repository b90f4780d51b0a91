package io.tandem.callback.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.protocol.callback.DirectMessage;
import io.tandem.protocol.callback.NodeKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Appends an event to a tenant's event stream and publishes it live, exactly as the nodes' scripts do (the ACD
 * prelude's {@code emit}): XADD with {@code kind queue agentId callId node at} and the event's own fields, then PUBLISH
 * on the tenant's live channel a JSON object with the stream id. Every node fans the live channel out to
 * {@code /ws/supervisor}, so supervisors see the service's events beside the nodes'.
 */
@Component
public class TenantEvents {

    /**
     * KEYS[1] events stream; ARGV[1] live channel, ARGV[2] MAXLEN ~, ARGV[3] the JSON envelope without its id,
     * ARGV[4..] the stream fields. One script, so the stream and the live channel carry events in the same order.
     */
    private static final String EMIT = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 4))
            local envelope = cjson.decode(ARGV[3])
            envelope.id = id
            redis.call('PUBLISH', ARGV[1], cjson.encode(envelope))
            return id
            """;

    private final RedisCommands<String, String> redis;
    private final CallbackProperties properties;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    TenantEvents(RedisCommands<String, String> redis, CallbackProperties properties, Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Publishes a {@link DirectMessage} for one agent on the tenant's live channel, and only there: the node holding
     * that agent's WebSocket delivers it to that agent alone. Not appended to the event stream, since it carries what
     * only that agent may see and is worth nothing later.
     *
     * @return how many nodes received it (Redis PUBLISH); 0 means no node is listening
     */
    public long publishTo(String tenant, String agentId, String kind, Map<String, String> fields) {
        DirectMessage message = new DirectMessage(kind, agentId, properties.name(), clock.millis(), fields);
        try {
            return redis.publish(NodeKeys.liveEvents(tenant), json.writeValueAsString(message.live()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message of strings is always JSON", e);
        }
    }

    /** Emits {@code kind} for the tenant; returns the stream id. */
    public String emit(String tenant, String kind, String queue, String agentId, String callId,
            Map<String, String> fields) {
        String at = Long.toString(clock.millis());
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("kind", kind);
        envelope.put("queue", queue);
        envelope.put("agentId", agentId);
        envelope.put("callId", callId);
        envelope.put("node", properties.name());
        envelope.put("at", at);
        envelope.put("fields", fields);
        List<String> args = new ArrayList<>(List.of(NodeKeys.liveEvents(tenant),
                Long.toString(properties.eventsMaxLength())));
        try {
            args.add(json.writeValueAsString(envelope));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of strings is always JSON", e);
        }
        for (String name : List.of("kind", "queue", "agentId", "callId", "node", "at")) {
            args.add(name);
            args.add(String.valueOf(envelope.get(name)));
        }
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return redis.eval(EMIT, ScriptOutputType.VALUE, new String[] {NodeKeys.events(tenant)},
                args.toArray(String[]::new));
    }
}
