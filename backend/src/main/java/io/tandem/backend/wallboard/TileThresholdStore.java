package io.tandem.backend.wallboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The tenant's tile thresholds: one hash, {@code tandem:{t}:tile-thresholds}, a JSON value per queue number. */
@Component
class TileThresholdStore {

    private static final Logger log = LoggerFactory.getLogger(TileThresholdStore.class);

    private final Redis redis;
    private final ObjectMapper json;

    TileThresholdStore(Redis redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** Every queue's thresholds, by queue number; an unreadable value is logged and left out, not fatal. */
    Map<String, TileThresholds> all(String tenant) {
        Map<String, TileThresholds> all = new TreeMap<>();
        redis.commands().hgetall(Keys.tileThresholds(tenant)).forEach((queue, value) -> {
            try {
                all.put(queue, json.readValue(value, TileThresholds.class));
            } catch (JsonProcessingException e) {
                log.warn("tile thresholds of queue {} of tenant {} are not readable ({}); the tile is not coloured",
                        queue, tenant, e.getOriginalMessage());
            }
        });
        return all;
    }

    void save(String tenant, String queue, TileThresholds thresholds) {
        try {
            redis.commands().hset(Keys.tileThresholds(tenant), queue, json.writeValueAsString(thresholds));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean delete(String tenant, String queue) {
        return redis.commands().hdel(Keys.tileThresholds(tenant), queue) == 1L;
    }
}
