package io.tandem.backend.wake;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.registrar.PushBindings;
import io.tandem.backend.registrar.RegistrationListener;
import io.tandem.protocol.callback.CallWake;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.PushBinding;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Calls to users whose devices sleep (RFC 8599 push bindings). A call to such a user appends a RING {@link CallWake}
 * to the tenant's {@code calls:wakes} stream at once, so the callback service pushes the devices awake while the
 * call rings the stale contacts; it then listens for the user's REGISTERs on this node (the woken device) and lets
 * the call add a branch to the new contact — the registrar's own REGISTERs through {@link RegistrationListener},
 * another node's through the {@link DeviceEvent}s it appends for a REGISTER with push parameters, read while a call
 * waits. ANSWERED or CANCELLED follows once, so the service can send the cancel
 * push (same collapse id) to every device it rang.
 */
@Service
public class CallWakes implements RegistrationListener, DisposableBean {

    /** Entries the wake stream keeps (approximately: {@code MAXLEN ~}); the service reads them within seconds. */
    static final int KEPT = 10_000;
    /**
     * How often the device events of a tenant with a waiting call are read (XRANGE on the shared connection, only
     * while a call waits): the woken device may register at another node, whose registrar appends a DeviceEvent.
     */
    static final Duration DEVICE_EVENTS_POLL = Duration.ofMillis(200);
    /** A device event up to this long before a call began still counts (the node's and Redis' clocks differ). */
    private static final long CLOCK_SLACK_MS = 2_000;
    /** REGISTERs waiting to be handed to their calls; beyond this one is dropped and counted. */
    private static final int PENDING_LIMIT = 1_000;

    private static final Logger log = LoggerFactory.getLogger(CallWakes.class);

    private final Redis redis;
    private final PushBindings pushBindings;
    private final OwedWrites writes;
    private final String nodeId;
    private final Clock clock;
    private final MeterRegistry meters;
    /** "tenant/user" → the ringing calls waiting for that user's device. */
    private final Map<String, Set<Wake>> waiting = new ConcurrentHashMap<>();
    /** Adding a branch routes the user again (Redis) and sends an INVITE: off the registrar's SIP thread. */
    private final ThreadPoolExecutor thread;
    /** Reads the device events of tenants with a waiting call. */
    private final ScheduledExecutorService poller;
    /** tenant → the id of the last device event read (exclusive start of the next read); guarded by the poller. */
    private final Map<String, String> readFrom = new ConcurrentHashMap<>();

    public CallWakes(Redis redis, PushBindings pushBindings, OwedWrites writes, NodeIdentity identity, Clock clock,
            MeterRegistry meters) {
        this.redis = redis;
        this.pushBindings = pushBindings;
        this.writes = writes;
        this.nodeId = identity.id();
        this.clock = clock;
        this.meters = meters;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(PENDING_LIMIT), runnable -> {
                    Thread t = new Thread(runnable, "tandem-call-wakes");
                    t.setDaemon(true);
                    return t;
                });
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "tandem-call-wakes-events");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::readDeviceEvents, DEVICE_EVENTS_POLL.toMillis(),
                DEVICE_EVENTS_POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Hands the REGISTERs other nodes took for waiting callees to their calls. */
    private void readDeviceEvents() {
        Set<String> tenants = new HashSet<>();
        waiting.keySet().forEach(key -> tenants.add(key.substring(0, key.indexOf('/'))));
        readFrom.keySet().retainAll(tenants);
        for (String tenant : tenants) {
            String from = readFrom.computeIfAbsent(tenant, t -> (clock.millis() - CLOCK_SLACK_MS) + "-0");
            try {
                List<StreamMessage<String, String>> entries = redis.commands().xrange(Keys.deviceEvents(tenant),
                        Range.from(Range.Boundary.excluding(from), Range.Boundary.unbounded()), Limit.from(100));
                for (StreamMessage<String, String> entry : entries) {
                    readFrom.put(tenant, entry.getId());
                    DeviceEvent event = DeviceEvent.of(entry.getBody());
                    if (!nodeId.equals(event.node())) { // this node's own REGISTERs came through the registrar
                        registered(tenant, event.user());
                    }
                }
            } catch (RedisException e) {
                count("device-events-failed");
                log.warn("reading tenant {}'s device events for waiting calls failed: {}", tenant, e.getMessage());
            }
        }
    }

    /**
     * A wake for this call when the callee holds at least one unexpired push binding; nothing is written until
     * {@link Wake#ring}.
     */
    public Optional<Wake> prepare(String tenant, String callee, String callId, String callerNumber,
            String callerName) {
        return prepareLater(tenant, callee, callId, callerNumber, callerName).get();
    }

    /**
     * As {@link #prepare}, the callee's push bindings asked now and the wake answered by the supplier: what the caller
     * sends to Redis in between shares the round trip.
     */
    public Supplier<Optional<Wake>> prepareLater(String tenant, String callee, String callId, String callerNumber,
            String callerName) {
        Supplier<List<PushBinding>> bindings = pushBindings.fetch(tenant, callee);
        return () -> bindings.get().isEmpty() ? Optional.empty()
                : Optional.of(new Wake(this, tenant, callee, callId, callerNumber, callerName));
    }

    @Override
    public void registered(String tenant, String user) {
        Set<Wake> calls = waiting.get(key(tenant, user));
        if (calls == null) {
            return;
        }
        for (Wake wake : calls) {
            try {
                thread.execute(() -> handOver(wake, user));
            } catch (RejectedExecutionException full) {
                count("register-dropped");
                log.warn("call {}: {}@{} registered but {} REGISTERs already wait to be handed to calls; "
                        + "this one adds no branch", wake.callId(), user, tenant, PENDING_LIMIT);
            }
        }
    }

    private void handOver(Wake wake, String user) {
        try {
            wake.deviceRegistered();
        } catch (RuntimeException e) {
            count("branch-failed");
            log.warn("call {}: {} registered but no branch could be added to the call", wake.callId(), user, e);
        }
    }

    /** Appends the entry on the calling thread (a ring is to leave at once); retried later if Redis is away. */
    void append(Wake wake, CallWake.Kind kind) {
        CallWake entry = new CallWake(kind, wake.callId(), wake.callee(), wake.callerNumber(), wake.callerName(),
                nodeId, clock.millis());
        count(kind.wire());
        writes.now("call " + wake.callId() + ": " + kind.wire() + " wake for " + wake.callee(),
                () -> redis.commands().xadd(Keys.callWakes(wake.tenant()),
                        XAddArgs.Builder.maxlen(KEPT).approximateTrimming(), entry.fields()));
    }

    void listen(Wake wake) {
        waiting.computeIfAbsent(key(wake.tenant(), wake.callee()), k -> ConcurrentHashMap.newKeySet()).add(wake);
    }

    void forget(Wake wake) {
        waiting.computeIfPresent(key(wake.tenant(), wake.callee()), (k, calls) -> {
            calls.remove(wake);
            return calls.isEmpty() ? null : calls;
        });
    }

    private void count(String what) {
        Counter.builder("tandem.call.wakes")
                .description("Calls to users with push bindings: wake entries written, REGISTERs dropped")
                .tag("kind", what)
                .register(meters)
                .increment();
    }

    private static String key(String tenant, String user) {
        return tenant + "/" + user;
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
        thread.shutdownNow();
    }
}
