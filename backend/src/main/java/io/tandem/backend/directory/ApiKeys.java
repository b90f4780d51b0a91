package io.tandem.backend.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A tenant's API keys: what its business backend provisions app users with ({@code X-Api-Key}). A key is shown once,
 * when created; Redis keeps only its SHA-256, in the tenant's list ({@link Keys#apiKeys}) and in a cluster-wide index
 * from the hash to the tenant ({@link Keys#apiKey}), so a presented key finds its tenant in one read. A key counts
 * only while both agree: revoking removes the index entry first, so a key half-revoked by a failure is already dead.
 */
@Service
public class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys are {@code tk_} and 32 random bytes: recognisable in a leaked log, 256 bits to guess. */
    private static final String PREFIX = "tk_";

    private final Redis redis;
    private final Clock clock;

    public ApiKeys(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** A key as listed: never the key itself. */
    public record ApiKey(String tenant, String id, String name, Instant createdAt) {
    }

    /** A key just created: {@link #key} is shown this once. */
    public record IssuedKey(ApiKey apiKey, String key) {
    }

    /** What the tenant's list holds per key. */
    record Stored(String id, String name, String sha256, long createdAt) {
    }

    /** Creates a key for the tenant. */
    public IssuedKey create(String tenant, String name) {
        String key = PREFIX + RandomSecret.of(32);
        ApiKey created = store(tenant, RandomSecret.of(9), name, key);
        log.info("API key {} ({}) created for tenant {}", created.id(), name, tenant);
        return new IssuedKey(created, key);
    }

    /**
     * Makes {@code key} the tenant's key {@code id} (the demo's configured key): a different key stored under that id
     * before is revoked.
     */
    public void install(String tenant, String id, String name, String key) {
        Optional<Stored> before = stored(tenant, id);
        if (before.isPresent() && before.get().sha256().equals(RandomSecret.sha256(key))) {
            return;
        }
        before.ifPresent(old -> redis.commands().del(Keys.apiKey(old.sha256())));
        store(tenant, id, name, key);
    }

    public List<ApiKey> list(String tenant) {
        List<ApiKey> keys = new ArrayList<>();
        for (String value : redis.commands().hvals(Keys.apiKeys(tenant))) {
            Stored stored = decode(value);
            keys.add(new ApiKey(tenant, stored.id(), stored.name(), Instant.ofEpochMilli(stored.createdAt())));
        }
        keys.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
        return keys;
    }

    /** Revokes a key; false when the tenant has no key of that id. */
    public boolean revoke(String tenant, String id) {
        Optional<Stored> stored = stored(tenant, id);
        if (stored.isEmpty()) {
            return false;
        }
        redis.commands().del(Keys.apiKey(stored.get().sha256()));
        redis.commands().hdel(Keys.apiKeys(tenant), id);
        log.info("API key {} ({}) of tenant {} revoked", id, stored.get().name(), tenant);
        return true;
    }

    /** The key a client presented, when it is a live key of some tenant. */
    public Optional<ApiKey> resolve(String key) {
        if (key == null || key.isEmpty() || key.length() > 512) {
            return Optional.empty();
        }
        String sha256 = RandomSecret.sha256(key);
        String owner = redis.commands().get(Keys.apiKey(sha256));
        int space = owner == null ? -1 : owner.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String tenant = owner.substring(0, space);
        return stored(tenant, owner.substring(space + 1))
                .filter(s -> MessageDigest.isEqual(s.sha256().getBytes(StandardCharsets.US_ASCII),
                        sha256.getBytes(StandardCharsets.US_ASCII)))
                .map(s -> new ApiKey(tenant, s.id(), s.name(), Instant.ofEpochMilli(s.createdAt())));
    }

    private ApiKey store(String tenant, String id, String name, String key) {
        String sha256 = RandomSecret.sha256(key);
        long now = clock.millis();
        // The index first: a key listed but not indexed would be shown as live while every use of it fails.
        redis.commands().set(Keys.apiKey(sha256), tenant + " " + id);
        redis.commands().hset(Keys.apiKeys(tenant), Map.of(id, encode(new Stored(id, name, sha256, now))));
        redis.commands().sadd(Keys.tenants(), tenant);
        return new ApiKey(tenant, id, name, Instant.ofEpochMilli(now));
    }

    private Optional<Stored> stored(String tenant, String id) {
        String value = redis.commands().hget(Keys.apiKeys(tenant), id);
        return value == null ? Optional.empty() : Optional.of(decode(value));
    }

    private static String encode(Stored stored) {
        try {
            return JSON.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an API key record", e);
        }
    }

    private static Stored decode(String value) {
        try {
            return JSON.readValue(value, Stored.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable API key record in Redis: " + e.getOriginalMessage(), e);
        }
    }
}
