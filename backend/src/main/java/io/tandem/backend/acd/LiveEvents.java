package io.tandem.backend.acd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every tenant's events as they happen, cluster-wide: one pattern subscription per node to the channels the scripts
 * publish each event on (with its stream id), fanned out to this node's WebSockets. A change made through any node
 * therefore reaches an agent's socket on any other node. The stream itself is read for resuming supervisors.
 */
@Component
class LiveEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);

    /** Receives events of one tenant; called on Lettuce's event thread, must not block. */
    interface Listener {
        void onEvent(LiveEvent event);
    }

    private final Redis redis;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    LiveEvents(Redis redis) {
        this.redis = redis;
    }

    void add(String tenant, Listener listener) {
        listeners.computeIfAbsent(tenant, t -> new CopyOnWriteArraySet<>()).add(listener);
    }

    void remove(String tenant, Listener listener) {
        Set<Listener> set = listeners.get(tenant);
        if (set != null) {
            set.remove(listener);
        }
    }

    /** Stream entries after {@code after} (exclusive; empty = from the start), oldest first. */
    List<LiveEvent> after(String tenant, String after, int max) {
        Range<String> range = Range.create(after == null || after.isEmpty() ? "-" : "(" + after, "+");
        List<LiveEvent> events = new ArrayList<>();
        for (StreamMessage<String, String> message : redis.commands().xrange(Keys.events(tenant), range,
                Limit.create(0, max))) {
            Map<String, String> body = new HashMap<>(message.getBody());
            String kind = body.remove("kind");
            String queue = body.remove("queue");
            String agent = body.remove("agentId");
            String call = body.remove("callId");
            String node = body.remove("node");
            String at = body.remove("at");
            events.add(new LiveEvent(message.getId(), kind, queue, agent, call, node, instant(at), body));
        }
        return events;
    }

    @Override
    public void start() {
        connection = redis.pubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                deliver(channel, message);
            }
        });
        connection.sync().psubscribe(Keys.liveEventsPattern());
    }

    @Override
    public void stop() {
        StatefulRedisPubSubConnection<String, String> open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public boolean isRunning() {
        return connection != null;
    }

    private void deliver(String channel, String message) {
        int open = channel.indexOf('{');
        int close = channel.indexOf('}');
        if (open < 0 || close < open) {
            return;
        }
        Set<Listener> set = listeners.get(channel.substring(open + 1, close));
        if (set == null || set.isEmpty()) {
            return;
        }
        LiveEvent event;
        try {
            JsonNode node = json.readTree(message);
            Map<String, String> fields = new HashMap<>();
            JsonNode f = node.path("fields");
            if (f.isObject()) {
                f.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
            }
            event = new LiveEvent(node.path("id").asText(), node.path("kind").asText(), node.path("queue").asText(),
                    node.path("agentId").asText(), node.path("callId").asText(), node.path("node").asText(),
                    instant(node.path("at").asText()), fields);
        } catch (Exception e) {
            log.warn("unreadable live event on {}", channel, e);
            return;
        }
        for (Listener listener : set) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("event listener failed on {}", event.kind(), e);
            }
        }
    }

    private static Instant instant(String millis) {
        return millis == null || millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }
}
