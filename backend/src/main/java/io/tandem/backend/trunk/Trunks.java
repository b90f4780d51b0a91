package io.tandem.backend.trunk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * A tenant's carrier trunks in Redis ({@link Keys#trunks}), and the digest passwords of their registrations apart
 * ({@link Keys#trunkSecrets}): written by the API, read only by the node that registers, never answered to anyone.
 */
@Service
public class Trunks {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Redis redis;

    public Trunks(Redis redis) {
        this.redis = redis;
    }

    /** Every trunk of the tenant, in hunting order (priority, then id). */
    public List<Trunk> list(String tenant) {
        return redis.commands().hvals(Keys.trunks(tenant)).stream().map(Trunks::decode)
                .sorted(Comparator.comparingInt(Trunk::priority).thenComparing(Trunk::id)).toList();
    }

    public Optional<Trunk> find(String tenant, String id) {
        return Optional.ofNullable(redis.commands().hget(Keys.trunks(tenant), id)).map(Trunks::decode);
    }

    /**
     * Creates or replaces a trunk; {@code password} replaces the stored one when given, and is dropped when the
     * trunk no longer registers. True when the trunk is new.
     */
    boolean save(String tenant, Trunk trunk, String password) {
        boolean created = redis.commands().hset(Keys.trunks(tenant), trunk.id(), encode(trunk));
        if (trunk.authentication() != Trunk.Authentication.REGISTRATION) {
            redis.commands().hdel(Keys.trunkSecrets(tenant), trunk.id());
        } else if (password != null) {
            redis.commands().hset(Keys.trunkSecrets(tenant), trunk.id(), password);
        }
        return created;
    }

    /** True when a registration password is stored for the trunk. */
    boolean hasPassword(String tenant, String id) {
        return redis.commands().hexists(Keys.trunkSecrets(tenant), id);
    }

    /** The registration password of a trunk, for the node that registers; null when none is stored. */
    String password(String tenant, String id) {
        return redis.commands().hget(Keys.trunkSecrets(tenant), id);
    }

    /** This trunk's registration on each node that registers it: node id → JSON {state, status, expiresAt}. */
    Map<String, String> registrations(String tenant, String id) {
        return redis.commands().hgetall(Keys.trunkRegistrations(tenant, id));
    }

    boolean delete(String tenant, String id) {
        redis.commands().del(Keys.trunkRegistrations(tenant, id));
        redis.commands().hdel(Keys.trunkSecrets(tenant), id);
        return redis.commands().hdel(Keys.trunks(tenant), id) > 0;
    }

    static Trunk decode(String json) {
        try {
            return JSON.readValue(json, Trunk.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable trunk in Redis: " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in Redis: " + e.getOriginalMessage(), e);
        }
    }

    static String encode(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
