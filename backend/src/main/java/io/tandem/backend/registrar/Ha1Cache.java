package io.tandem.backend.registrar;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HA1s of users who authenticated on this node recently, so that a REGISTER is checked against them without
 * reading the directory first. A cached HA1 only ever makes a REGISTER <em>provisionally</em> good: the binding's
 * write script compares it with the HA1 stored in Redis in the same atomic step and refuses the write when they
 * differ (password changed, user deleted, on any node), and the REGISTER is then checked afresh against the
 * directory. So invalidation is exact; the lifetime and the bound only limit memory.
 *
 * <p>Bounded: past {@code capacity} entries it is emptied at once (no per-request bookkeeping of age); the next
 * registrations fill it again with one directory read each.
 */
final class Ha1Cache {

    /** One user's HA1s (hex), as the directory stores them, and when they were read (epoch ms). */
    record Entry(String ha1Md5, String ha1Sha256, long readAt) {
    }

    private final Map<String, Entry> byUser = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int capacity;
    private final long lifetimeMillis;

    /**
     * @param capacity users kept at most; 0 keeps none
     * @param lifetime how long an entry is used after it was read from the directory
     */
    Ha1Cache(int capacity, Duration lifetime, Clock clock) {
        if (capacity < 0 || lifetime.isNegative()) {
            throw new IllegalArgumentException("capacity and lifetime must not be negative");
        }
        this.capacity = capacity;
        this.lifetimeMillis = lifetime.toMillis();
        this.clock = clock;
    }

    /** The HA1s last read for the user, unless older than the lifetime. */
    Optional<Entry> get(String tenant, String extension) {
        String key = key(tenant, extension);
        Entry entry = byUser.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.readAt() + lifetimeMillis <= clock.millis()) {
            byUser.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    /** The HA1s just read from the directory for the user. */
    void put(String tenant, String extension, String ha1Md5, String ha1Sha256) {
        if (capacity == 0 || ha1Md5 == null || ha1Sha256 == null) {
            return;
        }
        if (byUser.size() >= capacity) {
            byUser.clear();
        }
        byUser.put(key(tenant, extension), new Entry(ha1Md5, ha1Sha256, clock.millis()));
    }

    /** The user's HA1s no longer match the directory's. */
    void forget(String tenant, String extension) {
        byUser.remove(key(tenant, extension));
    }

    int size() {
        return byUser.size();
    }

    private static String key(String tenant, String extension) {
        // '/' appears in neither a tenant (a domain) nor an extension (Keys.TENANT, Keys.EXTENSION).
        return tenant + "/" + extension;
    }
}
