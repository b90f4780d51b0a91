package io.tandem.callback.room;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.callback.cluster.CallbackProperties;
import io.tandem.protocol.callback.CallWake;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.protocol.callback.TicketEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One tenant's four streams from the nodes — room events, device events, call wakes and ticket events — read as this instance's
 * consumer in the services' group ({@link CallbackKeys#SERVICE_GROUP}), on its own thread and connection (XREADGROUP
 * BLOCK holds the connection). The streams carry the tenant's hash tag, so one XREADGROUP reads them all, also on
 * Redis Cluster.
 *
 * <p>An entry is acknowledged after it was handled. One that cannot be read (an unknown kind, a newer node's entry)
 * is logged, counted and acknowledged: it would never read better. One whose handling failed (Redis unreachable) is
 * left pending; every {@code claim-interval} each instance takes over entries pending longer than {@code claim-idle}
 * (XAUTOCLAIM) — its own failed ones, and those of an instance that died — and handles them again, up to
 * {@value #MAX_DELIVERIES} deliveries; then it is logged with its fields and dropped.
 */
final class TenantConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TenantConsumer.class);
    /** An entry whose handling failed this many times is dropped (logged with its fields) instead of retried. */
    static final int MAX_DELIVERIES = 5;
    /** Pause after Redis failed, before the next read: not a synchronisation, a retry backoff. */
    private static final long RETRY_PAUSE_MS = 1_000;

    private final String tenant;
    private final RedisClient client;
    private final CallbackProperties properties;
    private final RoomOrchestrator orchestrator;
    private final MeterRegistry meters;
    private final String roomEvents;
    private final String deviceEvents;
    private final String callWakes;
    private final String ticketEvents;
    private final Consumer<String> me;
    private volatile boolean running = true;
    private volatile Thread thread;

    TenantConsumer(String tenant, RedisClient client, CallbackProperties properties, RoomOrchestrator orchestrator,
            MeterRegistry meters) {
        this.tenant = tenant;
        this.client = client;
        this.properties = properties;
        this.orchestrator = orchestrator;
        this.meters = meters;
        this.roomEvents = CallbackKeys.roomEvents(tenant);
        this.deviceEvents = CallbackKeys.deviceEvents(tenant);
        this.callWakes = CallbackKeys.callWakes(tenant);
        this.ticketEvents = CallbackKeys.ticketEvents(tenant);
        this.me = Consumer.from(CallbackKeys.SERVICE_GROUP, properties.name());
    }

    void start() {
        Thread started = new Thread(this, "tandem-callback-" + tenant);
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    /** Stops after the read in progress (at most {@code read-block}); entries read and not handled stay pending. */
    void stop() {
        running = false;
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(properties.readBlock().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        MDC.put("tenant", tenant);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            long nextClaim = 0;
            boolean groups = false;
            while (running) {
                try {
                    if (!groups) {
                        createGroup(redis, roomEvents);
                        createGroup(redis, deviceEvents);
                        createGroup(redis, callWakes);
                        createGroup(redis, ticketEvents);
                        groups = true;
                    }
                    if (System.nanoTime() - nextClaim >= 0) {
                        claimStale(redis, roomEvents);
                        claimStale(redis, deviceEvents);
                        claimStale(redis, callWakes);
                        claimStale(redis, ticketEvents);
                        nextClaim = System.nanoTime() + properties.claimInterval().toNanos();
                    }
                    List<StreamMessage<String, String>> entries = redis.xreadgroup(me,
                            XReadArgs.Builder.block(properties.readBlock()).count(properties.readCount()),
                            XReadArgs.StreamOffset.lastConsumed(roomEvents),
                            XReadArgs.StreamOffset.lastConsumed(deviceEvents),
                            XReadArgs.StreamOffset.lastConsumed(callWakes),
                            XReadArgs.StreamOffset.lastConsumed(ticketEvents));
                    for (StreamMessage<String, String> entry : entries) {
                        if (!running) {
                            break; // left pending: a survivor, or this instance restarted, takes it over
                        }
                        handle(redis, entry);
                    }
                } catch (RedisCommandExecutionException e) {
                    if (String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
                        groups = false; // the stream was deleted (a Redis flush or restart without data)
                    } else {
                        failed(e);
                    }
                } catch (RedisException e) {
                    if (running) {
                        failed(e);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("consumer of tenant {} stopped: cannot connect to Redis", tenant, e);
        } finally {
            MDC.remove("tenant");
        }
    }

    private void failed(RedisException e) {
        count("redis-failure");
        log.warn("reading tenant {}'s streams failed: {}; retrying in {} ms", tenant, e.getMessage(), RETRY_PAUSE_MS);
        try {
            TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void createGroup(RedisCommands<String, String> redis, String stream) {
        try {
            // From the start of the stream: events written before any service ran are still handled.
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), CallbackKeys.SERVICE_GROUP,
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // BUSYGROUP: another instance (or an earlier run) made it; that is the normal case.
        }
    }

    /** Takes over entries another consumer (or this one) read and did not acknowledge within claim-idle. */
    private void claimStale(RedisCommands<String, String> redis, String stream) {
        String cursor = "0-0";
        do {
            ClaimedMessages<String, String> claimed = redis.xautoclaim(stream,
                    XAutoClaimArgs.Builder.xautoclaim(me, properties.claimIdle(), cursor)
                            .count(properties.readCount()));
            for (StreamMessage<String, String> entry : claimed.getMessages()) {
                count("taken-over");
                log.info("took over {} entry {} left pending by a consumer idle for over {}", stream, entry.getId(),
                        properties.claimIdle());
                handle(redis, entry);
            }
            cursor = claimed.getId();
        } while (running && !"0-0".equals(cursor));
    }

    private void handle(RedisCommands<String, String> redis, StreamMessage<String, String> entry) {
        String stream = entry.getStream();
        if (entry.getBody() == null || entry.getBody().isEmpty()) {
            redis.xack(stream, CallbackKeys.SERVICE_GROUP, entry.getId()); // deleted while pending
            return;
        }
        try {
            if (stream.equals(roomEvents)) {
                RoomEvent event = RoomEvent.of(entry.getBody());
                MDC.put("room", event.room());
                orchestrator.onRoomEvent(tenant, event);
            } else if (stream.equals(ticketEvents)) {
                TicketEvent event = TicketEvent.of(entry.getBody());
                MDC.put("ticket", event.ticket());
                orchestrator.onTicketEvent(tenant, event);
            } else if (stream.equals(callWakes)) {
                CallWake wake = CallWake.of(entry.getBody());
                MDC.put("callId", wake.callId());
                orchestrator.onCallWake(tenant, wake);
            } else {
                String kind = entry.getBody().getOrDefault("kind", "");
                if (!"registered".equals(kind)) {
                    throw new IllegalArgumentException("unknown device event kind '" + kind + "'");
                }
                orchestrator.onDeviceEvent(tenant, DeviceEvent.of(entry.getBody()));
            }
            count("handled");
        } catch (IllegalArgumentException unreadable) {
            count("unreadable");
            log.warn("{} entry {} cannot be read ({}); acknowledged and skipped: {}", stream, entry.getId(),
                    unreadable.getMessage(), entry.getBody());
        } catch (RuntimeException e) {
            if (deliveries(redis, stream, entry.getId()) < MAX_DELIVERIES) {
                count("failed");
                log.error("handling {} entry {} failed; left pending, retried after {}", stream, entry.getId(),
                        properties.claimIdle(), e);
                return;
            }
            // The same entry failed on every try: a bug, not an outage. Acknowledged so it stops coming back.
            count("dropped");
            log.error("handling {} entry {} failed {} times; acknowledged and dropped: {}", stream, entry.getId(),
                    MAX_DELIVERIES, entry.getBody(), e);
        } finally {
            MDC.remove("room");
            MDC.remove("callId");
            MDC.remove("ticket");
        }
        redis.xack(stream, CallbackKeys.SERVICE_GROUP, entry.getId());
    }

    /** How often the group has delivered the entry (XPENDING), or 0 when that cannot be read. */
    private static long deliveries(RedisCommands<String, String> redis, String stream, String id) {
        try {
            List<PendingMessage> pending = redis.xpending(stream, CallbackKeys.SERVICE_GROUP, Range.create(id, id),
                    Limit.create(0, 1));
            return pending.isEmpty() ? 0 : pending.get(0).getRedeliveryCount();
        } catch (RedisException e) {
            return 0; // Redis is the trouble: keep the entry for a retry
        }
    }

    private void count(String outcome) {
        Counter.builder("tandem.callback.entries")
                .description("Stream entries from the nodes, by outcome")
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }
}
