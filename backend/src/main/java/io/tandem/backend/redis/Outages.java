package io.tandem.backend.redis;

import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.ConnectionEvent;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When this node last lost and regained Redis, from Lettuce's connection events. A Redis that was restarted (or a
 * Sentinel failover) comes back without the keys whose time ran out meanwhile, heartbeats included; readers of
 * cluster membership use the last outage to tell "a node stopped beating" from "no node could beat".
 */
public final class Outages {

    private static final Logger log = LoggerFactory.getLogger(Outages.class);

    /** Lost at {@code lost}; {@code restored} is null while Redis is still away. */
    public record Outage(Instant lost, Instant restored) {

        /** True when Redis came back less than {@code grace} before {@code now}. */
        public boolean endedWithin(java.time.Duration grace, Instant now) {
            return restored != null && now.isBefore(restored.plus(grace));
        }
    }

    private final Clock clock;
    private final Set<SocketAddress> sentinels;
    private final List<Runnable> onRestore = new CopyOnWriteArrayList<>();
    private volatile Outage last;

    /** {@code sentinels}: connections to these only look up the master and close by design; they are no outage. */
    Outages(Clock clock, Set<SocketAddress> sentinels) {
        this.clock = clock;
        this.sentinels = Set.copyOf(sentinels);
    }

    /** The last outage, if Redis was ever lost since this node connected. */
    public Optional<Outage> last() {
        return Optional.ofNullable(last);
    }

    /** Runs {@code action} (on a Lettuce thread: hand real work to an executor) each time Redis is back. */
    public void whenRestored(Runnable action) {
        onRestore.add(action);
    }

    void on(Event event) {
        if (event instanceof ConnectionEvent connection && sentinels.contains(connection.remoteAddress())) {
            return;
        }
        Outage current = last;
        if (event instanceof ConnectionDeactivatedEvent) {
            if (current == null || current.restored() != null) {
                last = new Outage(clock.instant(), null);
            }
        } else if (event instanceof ConnectionActivatedEvent && current != null && current.restored() == null) {
            last = new Outage(current.lost(), clock.instant());
            log.info("Redis is back after {} ms away", last.restored().toEpochMilli() - current.lost().toEpochMilli());
            for (Runnable action : onRestore) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    log.warn("a reconnect action failed", e);
                }
            }
        }
    }
}
