package io.tandem.backend.trunk;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.KeyValue;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The tenants' DIDs: each tenant's in {@link Keys#dids} (number → destination), and the cluster-wide owner of each
 * number in {@link Keys#didOwners} (number → tenant), which a carrier's INVITE is looked up in. A number belongs to
 * one tenant: the owner entry is taken first ({@code HSETNX}) and given up last, so two tenants never both route it.
 */
@Service
public class Dids {

    private final Redis redis;

    public Dids(Redis redis) {
        this.redis = redis;
    }

    /** Outcome of {@link #save}. */
    enum Saved { CREATED, REPLACED, OTHER_TENANTS }

    Saved save(String tenant, Did did) {
        boolean taken = redis.commands().hsetnx(Keys.didOwners(), did.number(), tenant);
        if (!taken && !tenant.equals(redis.commands().hget(Keys.didOwners(), did.number()))) {
            return Saved.OTHER_TENANTS;
        }
        boolean created = redis.commands().hset(Keys.dids(tenant), did.number(), Trunks.encode(did));
        return created ? Saved.CREATED : Saved.REPLACED;
    }

    List<Did> list(String tenant) {
        return redis.commands().hvals(Keys.dids(tenant)).stream().map(Dids::decode).sorted(
                Comparator.comparing(Did::number)).toList();
    }

    Optional<Did> find(String tenant, String number) {
        return Optional.ofNullable(redis.commands().hget(Keys.dids(tenant), number)).map(Dids::decode);
    }

    boolean delete(String tenant, String number) {
        boolean deleted = redis.commands().hdel(Keys.dids(tenant), number) > 0;
        if (tenant.equals(redis.commands().hget(Keys.didOwners(), number))) {
            redis.commands().hdel(Keys.didOwners(), number);
        }
        return deleted;
    }

    /**
     * The tenant owning {@code number} as a carrier sent it: as it is, or with or without its leading '+' (one round
     * trip for both forms).
     */
    Optional<Owned> owner(String number) {
        String other = number.startsWith("+") ? number.substring(1) : "+" + number;
        List<KeyValue<String, String>> owners = redis.commands().hmget(Keys.didOwners(), number, other);
        for (KeyValue<String, String> owner : owners) {
            if (owner.hasValue()) {
                return find(owner.getValue(), owner.getKey()).map(did -> new Owned(owner.getValue(), did));
            }
        }
        return Optional.empty();
    }

    /** True when {@code number} is one of the tenant's DIDs (a number its users may present). */
    boolean owns(String tenant, String number) {
        return number != null && redis.commands().hexists(Keys.dids(tenant), number);
    }

    /** A DID with its tenant. */
    record Owned(String tenant, Did did) {
    }

    private static Did decode(String json) {
        try {
            return Trunks.JSON.readValue(json, Did.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable DID in Redis: " + e.getOriginalMessage(), e);
        }
    }
}
