package io.tandem.backend.registrar;

import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.sip.SourceFilter;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Blocks a source address that sends too many wrong-password REGISTERs (a password-guessing flood). Failures are
 * counted in Redis, so they add up across nodes; the block itself is a Redis key with a TTL, copied into a local
 * cache so that the per-request check ({@link #isBlocked}) costs no Redis round trip. A source blocked on one node is
 * blocked on another node at its first failure there.
 */
@Component
class FloodGuard implements SourceFilter {

    private static final Logger log = LoggerFactory.getLogger(FloodGuard.class);

    /** Counts a wrong password of a source address; blocks the address at the threshold. */
    private static final LuaScript FAILURE = LuaScript.load("registrar/auth_failure", ScriptOutputType.INTEGER);

    private final Redis redis;
    private final RegistrarProperties properties;
    private final Clock clock;
    /** Source address → epoch ms until which it is blocked. */
    private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();

    FloodGuard(Redis redis, RegistrarProperties properties, Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public boolean isBlocked(String address) {
        Long until = blockedUntil.get(address);
        if (until == null) {
            return false;
        }
        if (until > clock.millis()) {
            return true;
        }
        blockedUntil.remove(address, until);
        return false;
    }

    /** Counts a wrong-password REGISTER; true when the source is now blocked. */
    boolean failed(String address) {
        if (address.isEmpty()) {
            return false;
        }
        Long blockMillis = redis.run(FAILURE, List.of(Keys.authFailures(address), Keys.blockedSource(address)),
                Long.toString(properties.floodWindow().toMillis()), Integer.toString(properties.floodThreshold()),
                Long.toString(properties.floodBlock().toMillis()));
        if (blockMillis > 0) {
            if (blockedUntil.put(address, clock.millis() + blockMillis) == null) {
                log.warn("blocking {} for {} s: {} wrong-password REGISTERs within {} s", address,
                        blockMillis / 1000, properties.floodThreshold(), properties.floodWindow().toSeconds());
            }
            return true;
        }
        return false;
    }
}
