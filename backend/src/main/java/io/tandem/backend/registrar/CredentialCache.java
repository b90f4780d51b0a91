package io.tandem.backend.registrar;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.User;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A short-lived copy of directory users on this node, so that an authorised REGISTER does not read the user from
 * Redis first. It is never trusted on its own: the registrar's binding script refuses the write when the HA1 a
 * REGISTER was verified with is no longer the stored one (password changed or user deleted on any node), and a
 * cached user that makes credentials look wrong is read again before the request is refused. So an admin change
 * takes effect at once, cluster-wide, without invalidation messages; the time-to-live only bounds memory held for
 * users that stopped registering.
 */
final class CredentialCache {

    /** A cached user and when it was read (epoch ms). */
    private record Entry(User user, long readAt) {
    }

    private final Directory directory;
    private final Clock clock;
    private final long ttlMillis;
    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    CredentialCache(Directory directory, Clock clock, Duration ttl, int maxEntries) {
        this.directory = directory;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.maxEntries = maxEntries;
    }

    /** A user as cached, or read from the directory when absent or older than the time-to-live. */
    Lookup find(String tenant, String extension) {
        if (ttlMillis > 0) {
            Entry entry = entries.get(key(tenant, extension));
            if (entry != null && clock.millis() - entry.readAt() < ttlMillis) {
                return new Lookup(Optional.of(entry.user()), true);
            }
        }
        return new Lookup(reload(tenant, extension), false);
    }

    /** Reads the user from the directory and caches it (unknown users are not cached: they never authenticate). */
    Optional<User> reload(String tenant, String extension) {
        String key = key(tenant, extension);
        Optional<User> user = directory.find(tenant, extension);
        if (ttlMillis <= 0) {
            return user;
        }
        if (user.isEmpty()) {
            entries.remove(key);
            return user;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            // Bounded: rather than track recency per entry, start over; the next REGISTERs refill it.
            entries.clear();
        }
        entries.put(key, new Entry(user.get(), clock.millis()));
        return user;
    }

    /** A user lookup and whether it came from the cache (then a refusal must be confirmed by {@link #reload}). */
    record Lookup(Optional<User> user, boolean cached) {
    }

    private static String key(String tenant, String extension) {
        return tenant + '/' + extension;
    }
}
