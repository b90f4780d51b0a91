package io.tandem.callback.room;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.callback.cluster.CallbackProperties;
import io.tandem.callback.ticket.TicketWork;
import io.tandem.protocol.callback.NodeKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the orchestration: reads the tenant list ({@code tandem:tenants}, the nodes') every {@code tenants-refresh} and
 * keeps one {@link TenantConsumer} per tenant; every {@code room-check-interval} checks the nodes of the parked rooms
 * ({@link RoomOrchestrator#checkNodes}); every {@code wake-tier-check} hands the rooms whose next wake tier is due
 * ({@link WakeSchedule}) to their tenant's consumer, which wakes the tier in the room's lane
 * ({@link RoomOrchestrator#wakeNextTier}). Every instance does all of it: the consumer group shares the entries, and
 * the checks are idempotent (a tier is claimed by one instance), so the rooms of an instance that died are looked
 * after by the others.
 */
final class RoomService implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomService.class);

    private final RedisClient client;
    private final RedisCommands<String, String> redis;
    private final CallbackProperties properties;
    private final RoomOrchestrator orchestrator;
    private final MeterRegistry meters;
    private final TicketWork tickets;
    private final Duration ticketCheck;
    private final WakeSchedule schedule;
    private final Clock clock;
    /** Changed by the scheduler thread; {@link #stop} empties it once the scheduler has stopped. */
    private final Map<String, TenantConsumer> consumers = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;

    RoomService(RedisClient client, RedisCommands<String, String> redis, CallbackProperties properties,
            RoomOrchestrator orchestrator, MeterRegistry meters, TicketWork tickets, Duration ticketCheck,
            WakeSchedule schedule, Clock clock) {
        this.schedule = schedule;
        this.clock = clock;
        this.tickets = tickets;
        this.ticketCheck = ticketCheck;
        this.client = client;
        this.redis = redis;
        this.properties = properties;
        this.orchestrator = orchestrator;
        this.meters = meters;
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tandem-callback-rooms");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::refreshTenants, 0, properties.tenantsRefresh().toMillis(),
                TimeUnit.MILLISECONDS);
        started.scheduleWithFixedDelay(this::checkRooms, properties.roomCheckInterval().toMillis(),
                properties.roomCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
        started.scheduleWithFixedDelay(this::wakeTiers, properties.wakeTierCheck().toMillis(),
                properties.wakeTierCheck().toMillis(), TimeUnit.MILLISECONDS);
        started.scheduleWithFixedDelay(this::checkTickets, ticketCheck.toMillis(), ticketCheck.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler = started;
        log.info("callback service instance '{}' consuming the nodes' room and device events", properties.name());
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        scheduler = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumers.values().forEach(TenantConsumer::stop);
        consumers.clear();
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    private void refreshTenants() {
        Set<String> tenants;
        try {
            tenants = redis.smembers(NodeKeys.tenants());
        } catch (RedisException e) {
            log.warn("cannot read the tenant list: {}; keeping {}", e.getMessage(), consumers.keySet());
            return;
        }
        for (String tenant : tenants) {
            if (!tenant.matches("[a-z0-9][a-z0-9.-]{0,62}")) {
                log.warn("tenant list holds '{}', which is not a tenant name; skipped", tenant);
                continue;
            }
            consumers.computeIfAbsent(tenant, t -> {
                TenantConsumer consumer = new TenantConsumer(t, client, redis, properties, orchestrator, meters);
                consumer.start();
                log.info("consuming the callback streams of tenant {}", t);
                return consumer;
            });
        }
        consumers.keySet().removeIf(tenant -> {
            if (tenants.contains(tenant)) {
                return false;
            }
            consumers.get(tenant).stop();
            log.info("tenant {} is gone from the tenant list: its consumer stopped", tenant);
            return true;
        });
    }

    private void checkTickets() {
        for (String tenant : consumers.keySet()) {
            try {
                tickets.check(tenant);
            } catch (RuntimeException e) {
                log.warn("checking the callback tickets of tenant {} failed; next round in {}", tenant, ticketCheck,
                        e);
            }
        }
    }

    private void wakeTiers() {
        for (Map.Entry<String, TenantConsumer> consumer : consumers.entrySet()) {
            String tenant = consumer.getKey();
            try {
                for (String room : schedule.due(tenant, clock.millis())) {
                    consumer.getValue().runForRoom(room, "wake-tier", () -> orchestrator.wakeNextTier(tenant, room));
                }
            } catch (RuntimeException e) {
                log.warn("checking the wake tiers of tenant {} failed; next round in {}", tenant,
                        properties.wakeTierCheck(), e);
            }
        }
    }

    private void checkRooms() {
        for (String tenant : consumers.keySet()) {
            try {
                orchestrator.checkNodes(tenant);
            } catch (RuntimeException e) {
                log.warn("checking the parked rooms of tenant {} failed; next round in {}", tenant,
                        properties.roomCheckInterval(), e);
            }
        }
    }
}
