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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.callback.cluster.CallbackProperties;
import io.tandem.protocol.callback.CallWake;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.protocol.callback.TicketEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>The reading thread only reads and hands entries on: up to {@code handlers} entries are handled at once, on a
 * pool of that many threads, so one slow push provider answer holds up only its own room. Entries of one room (its
 * room events, and the ticket events of its ticket, whose id is the room id), of one call (call wakes) and of one
 * user (device events) are handled one after another in stream order ({@link EntryLanes}): a JOINED or ABANDONED read
 * after PARKED starts only once PARKED's pushes were claimed in the ledger, answered and recorded. When all
 * {@code handlers} are busy the reading thread waits, and the entries stay in the stream until it reads again.
 */
final class TenantConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TenantConsumer.class);
    /** An entry whose handling failed this many times is dropped (logged with its fields) instead of retried. */
    static final int MAX_DELIVERIES = 5;
    /** Pause after Redis failed, before the next read: not a synchronisation, a retry backoff. */
    private static final long RETRY_PAUSE_MS = 1_000;
    /** How long a stop waits for the entries in flight (a provider answers within its send timeout). */
    static final long DRAIN_MS = 10_000;

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
    /** Acknowledges from the handler threads (the reading connection is held by XREADGROUP BLOCK). */
    private final RedisCommands<String, String> acks;
    /** One permit per entry handed on and not yet finished: bounds the work in flight to {@code handlers}. */
    private final Semaphore permits;
    /** Ids of the entries in flight here, so a takeover of one of them (pending past claim-idle) is not run twice. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor handlers;
    private final EntryLanes lanes;
    private final Gauge inFlightGauge;
    private volatile boolean running = true;
    private volatile Thread thread;

    TenantConsumer(String tenant, RedisClient client, RedisCommands<String, String> acks,
            CallbackProperties properties, RoomOrchestrator orchestrator, MeterRegistry meters) {
        this.tenant = tenant;
        this.client = client;
        this.acks = acks;
        this.properties = properties;
        this.orchestrator = orchestrator;
        this.meters = meters;
        this.roomEvents = CallbackKeys.roomEvents(tenant);
        this.deviceEvents = CallbackKeys.deviceEvents(tenant);
        this.callWakes = CallbackKeys.callWakes(tenant);
        this.ticketEvents = CallbackKeys.ticketEvents(tenant);
        this.me = Consumer.from(CallbackKeys.SERVICE_GROUP, properties.name());
        int size = properties.handlers();
        this.permits = new Semaphore(size);
        AtomicInteger threads = new AtomicInteger();
        // The queue can never fill: a permit is taken before each submit, and there are as many permits as slots.
        this.handlers = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(size),
                runnable -> {
                    Thread handler = new Thread(runnable, "tandem-callback-" + tenant + "-" + threads.incrementAndGet());
                    handler.setDaemon(true);
                    return handler;
                });
        this.handlers.allowCoreThreadTimeOut(true);
        this.lanes = new EntryLanes(handlers);
        this.inFlightGauge = Gauge.builder("tandem.callback.entries.in-flight", inFlight, Set::size)
                .description("Stream entries being handled or waiting for an earlier entry of their room")
                .tag("tenant", tenant)
                .register(meters);
    }

    void start() {
        Thread started = new Thread(this, "tandem-callback-" + tenant);
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    /**
     * Stops after the read in progress (at most {@code read-block}) and lets the entries in flight finish for up to
     * {@value #DRAIN_MS} ms; entries read and not handled by then stay pending, for a survivor to take over.
     */
    void stop() {
        running = false;
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(properties.readBlock().toMillis() + DRAIN_MS + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handlers.shutdownNow();
        meters.remove(inFlightGauge);
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
                        dispatch(entry);
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
            drain();
        } catch (RuntimeException e) {
            log.error("consumer of tenant {} stopped: cannot connect to Redis", tenant, e);
        } finally {
            MDC.remove("tenant");
        }
    }

    /**
     * Hands an entry to its lane, waiting while {@code handlers} entries are in flight. An entry already in flight here
     * (taken over from this very consumer because it waited past claim-idle) is left to the handling under way.
     *
     * @return whether the entry was handed on
     */
    private boolean dispatch(StreamMessage<String, String> entry) {
        String key = entry.getStream() + " " + entry.getId();
        if (!inFlight.add(key)) {
            return false;
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            inFlight.remove(key);
            Thread.currentThread().interrupt();
            running = false;
            return false; // left pending
        }
        try {
            lanes.submit(laneOf(entry), () -> {
                MDC.put("tenant", tenant);
                try {
                    handle(entry);
                } finally {
                    MDC.remove("tenant");
                    inFlight.remove(key);
                    permits.release();
                }
            });
        } catch (RejectedExecutionException stopping) {
            inFlight.remove(key);
            permits.release();
            log.info("{} entry {} not handled: the consumer is stopping; left pending", entry.getStream(),
                    entry.getId());
            return false;
        }
        return true;
    }

    /**
     * Runs {@code work} for {@code room} in the room's lane (after the room's entries in flight here), on a handler
     * that is free: the service's own timers (a wake tier that is due) act on a room as its events do, one at a time.
     * Nothing is run when every handler is busy or the same work for the room is still in flight; the timer asks
     * again on its next round.
     */
    void runForRoom(String room, String what, Runnable work) {
        String key = what + " " + room;
        if (!running || !inFlight.add(key)) {
            return;
        }
        if (!permits.tryAcquire()) {
            inFlight.remove(key);
            countTimer("deferred");
            log.debug("{} of room {} deferred: all {} handlers are busy", what, room, properties.handlers());
            return;
        }
        try {
            lanes.submit("room " + room, () -> {
                MDC.put("tenant", tenant);
                MDC.put("room", room);
                try {
                    work.run();
                } catch (RuntimeException e) {
                    countTimer("failed");
                    log.error("{} of room {} failed; tried again once its claim lapses ({})", what, room,
                            properties.claimIdle(), e);
                } finally {
                    MDC.remove("room");
                    MDC.remove("tenant");
                    inFlight.remove(key);
                    permits.release();
                }
            });
        } catch (RejectedExecutionException stopping) {
            inFlight.remove(key);
            permits.release();
        }
    }

    /** Which entries must be handled in stream order: those of one room (and its ticket), one call, one user. */
    private String laneOf(StreamMessage<String, String> entry) {
        Map<String, String> body = entry.getBody();
        String stream = entry.getStream();
        String id = null;
        if (body != null) {
            if (stream.equals(roomEvents)) {
                id = "room " + body.get("room");
            } else if (stream.equals(ticketEvents)) {
                id = "room " + body.get("ticket"); // a ticket's id is its room's id
            } else if (stream.equals(callWakes)) {
                id = "call " + body.get("callId");
            } else {
                id = "user " + body.get("user");
            }
        }
        return id == null || id.endsWith(" null") ? "entry " + stream + " " + entry.getId() : id;
    }

    /** Waits for the entries in flight to finish (up to {@value #DRAIN_MS} ms), so none is cut off halfway. */
    private void drain() {
        try {
            if (permits.tryAcquire(properties.handlers(), DRAIN_MS, TimeUnit.MILLISECONDS)) {
                permits.release(properties.handlers());
            } else {
                log.warn("tenant {}: {} entries still in flight at stop; left pending for a takeover", tenant,
                        inFlight.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                if (dispatch(entry)) {
                    count("taken-over");
                    log.info("took over {} entry {} left pending by a consumer idle for over {}", stream,
                            entry.getId(), properties.claimIdle());
                }
            }
            cursor = claimed.getId();
        } while (running && !"0-0".equals(cursor));
    }

    /** Runs on a handler thread: handles the entry, then acknowledges it (or leaves it pending for a retry). */
    private void handle(StreamMessage<String, String> entry) {
        String stream = entry.getStream();
        if (entry.getBody() == null || entry.getBody().isEmpty()) {
            acknowledge(entry); // deleted while pending
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
            if (deliveries(acks, stream, entry.getId()) < MAX_DELIVERIES) {
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
        acknowledge(entry);
    }

    private void acknowledge(StreamMessage<String, String> entry) {
        try {
            acks.xack(entry.getStream(), CallbackKeys.SERVICE_GROUP, entry.getId());
        } catch (RedisException e) {
            // Handled but not acknowledged: it is taken over after claim-idle and handled again, which is idempotent.
            count("ack-failed");
            log.warn("{} entry {} handled but not acknowledged ({}); it will be handled again after {}",
                    entry.getStream(), entry.getId(), e.getMessage(), properties.claimIdle());
        }
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

    private void countTimer(String outcome) {
        Counter.builder("tandem.callback.timers")
                .description("The service's own timed work on rooms (wake tiers) that could not run, by outcome")
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }

    private void count(String outcome) {
        Counter.builder("tandem.callback.entries")
                .description("Stream entries from the nodes, by outcome")
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }
}
