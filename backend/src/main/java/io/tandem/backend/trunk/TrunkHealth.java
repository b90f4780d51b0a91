package io.tandem.backend.trunk;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Whether a trunk is in rotation, cluster-wide in Redis: every node counts the outside calls a trunk failed
 * definitely in a row ({@link Keys#trunkFailures}: a 503 before any ringing, or no answer at all — the failures that
 * fail over); at {@code tandem.trunks.health-failures} the trunk is taken out of rotation ({@link Keys#trunkHealth},
 * with the reason), hunted by no node, until {@link TrunkProbe} finds its gateway answering again. Any other outcome
 * (ringing, an answer, a busy customer) proves the carrier alive and restarts the count. Writes are owed: never on
 * the SIP thread, retried through a Redis outage.
 */
@Service
public class TrunkHealth {

    private static final Logger log = LoggerFactory.getLogger(TrunkHealth.class);

    private final Redis redis;
    private final OwedWrites writes;
    private final TrunkProperties properties;

    public TrunkHealth(Redis redis, OwedWrites writes, TrunkProperties properties) {
        this.redis = redis;
        this.writes = writes;
        this.properties = properties;
    }

    /** The tenant's trunks out of rotation, id → reason. */
    Map<String, String> unhealthy(String tenant) {
        return redis.commands().hgetall(Keys.trunkHealth(tenant));
    }

    /** A call on the trunk failed definitely (503 before ringing, or no answer to the INVITE). */
    void failed(String tenant, String trunk) {
        int threshold = properties.healthFailures();
        writes.owe("trunk " + trunk + "@" + tenant + ": failure counted", () -> {
            long failures = redis.commands().hincrby(Keys.trunkFailures(tenant), trunk, 1);
            if (failures >= threshold && redis.commands().hsetnx(Keys.trunkHealth(tenant), trunk,
                    "unhealthy: " + threshold + " failures of " + threshold)) {
                log.warn("trunk {}@{}: {} outside calls in a row failed (503 or no answer); out of rotation until "
                        + "its gateway answers a probe", trunk, tenant, failures);
            }
        });
    }

    /** A call on the trunk got an answer that proves the carrier alive: the count restarts. */
    void reached(String tenant, String trunk) {
        writes.owe("trunk " + trunk + "@" + tenant + ": failures reset",
                () -> redis.commands().hdel(Keys.trunkFailures(tenant), trunk));
    }

    /** The trunk's gateway answered a probe: back in rotation, its count restarted. */
    void restored(String tenant, String trunk) {
        redis.commands().hdel(Keys.trunkFailures(tenant), trunk);
        if (redis.commands().hdel(Keys.trunkHealth(tenant), trunk) > 0) {
            log.info("trunk {}@{}: its gateway answers again; back in rotation", trunk, tenant);
        }
    }
}
