package io.tandem.backend.acd.events;

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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
public class LiveEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);

    /** Receives events in stream order on the one fan-out thread. */
    public interface Listener {
        void onEvent(String tenant, LiveEvent event);
    }

    private final Redis redis;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
    /** Listeners of every tenant (the dispatcher). */
    private final Set<Listener> everyTenant = new CopyOnWriteArraySet<>();
    /**
     * Fan-out off Lettuce's event loop (a listener may block on a slow socket or call Redis), one thread so events
     * keep their stream order; bounded: when full, events are dropped and counted (sockets resync on reconnect).
     */
    private final ThreadPoolExecutor fanOut = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_LIMIT), runnable -> {
                Thread thread = new Thread(runnable, "tandem-acd-events");
                thread.setDaemon(true);
                return thread;
            }, (task, executor) -> countDrop());
    private final AtomicLong dropped = new AtomicLong();
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    private static final int QUEUE_LIMIT = 10_000;

    LiveEvents(Redis redis) {
        this.redis = redis;
    }

    /** Events of every tenant. */
    public void addForEveryTenant(Listener listener) {
        everyTenant.add(listener);
    }

    /** Events dropped because the fan-out queue was full. */
    long dropped() {
        return dropped.get();
    }

    private void countDrop() {
        if (dropped.incrementAndGet() % 1_000 == 1) {
            log.warn("live event fan-out queue full ({} events): {} events dropped so far", QUEUE_LIMIT,
                    dropped.get());
        }
    }

    public void add(String tenant, Listener listener) {
        listeners.computeIfAbsent(tenant, t -> new CopyOnWriteArraySet<>()).add(listener);
    }

    public void remove(String tenant, Listener listener) {
        Set<Listener> set = listeners.get(tenant);
        if (set != null) {
            set.remove(listener);
        }
    }

    /** The id of the tenant's newest event, or {@code 0-0} when the stream is empty. */
    public String lastId(String tenant) {
        List<StreamMessage<String, String>> newest = redis.commands().xrevrange(Keys.events(tenant),
                Range.create("-", "+"), Limit.create(0, 1));
        return newest.isEmpty() ? "0-0" : newest.get(0).getId();
    }

    /** Stream entries after {@code after} (exclusive; empty = from the start), oldest first. */
    public List<LiveEvent> after(String tenant, String after, int max) {
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
                fanOut.execute(() -> deliver(channel, message));
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
        fanOut.shutdownNow();
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
        Set<Listener> set = listeners.getOrDefault(channel.substring(open + 1, close), Set.of());
        if (set.isEmpty() && everyTenant.isEmpty()) {
            return;
        }
        LiveEvent event;
        try {
            JsonNode node = json.readTree(message);
            Map<String, String> fields = new HashMap<>();
            JsonNode f = node.path("fields");
            if (f.isObject()) {
                f.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
            }
            event = new LiveEvent(node.path("id").asText(), node.path("kind").asText(), node.path("queue").asText(),
                    node.path("agentId").asText(), node.path("callId").asText(), node.path("node").asText(),
                    instant(node.path("at").asText()), fields);
        } catch (Exception e) {
            log.warn("unreadable live event on {}", channel, e);
            return;
        }
        String tenant = channel.substring(open + 1, close);
        for (Listener listener : everyTenant) {
            try {
                listener.onEvent(tenant, event);
            } catch (RuntimeException e) {
                log.warn("event listener failed on {}", event.kind(), e);
            }
        }
        for (Listener listener : set) {
            try {
                listener.onEvent(tenant, event);
            } catch (RuntimeException e) {
                log.warn("event listener failed on {}", event.kind(), e);
            }
        }
    }

    private static Instant instant(String millis) {
        return millis == null || millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }
}
