package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The replica settings: their defaults, their validation, and when a URI means a Sentinel-managed master. */
class RedisPropertiesTest {

    static RedisProperties withReplicas(String uri, int acks, Duration timeout) {
        return new RedisProperties(uri, 0, Duration.ofSeconds(5), 100, 100, acks, timeout);
    }

    @Test
    void withoutReplicaSettingsOneReplicaIsAwaitedForAtMost100Ms() {
        RedisProperties properties = new RedisProperties("redis://127.0.0.1:6379", 0, Duration.ofSeconds(5), 100, 100);
        assertThat(properties.replicaAcks()).isEqualTo(1);
        assertThat(properties.replicaAckTimeout()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void onlySentinelUrisCanFailOver() {
        assertThat(withReplicas("redis-sentinel://127.0.0.1:26379,127.0.0.1:26380#tandem", 1, Duration.ofMillis(100))
                .sentinel()).isTrue();
        assertThat(withReplicas("redis://127.0.0.1:6379", 1, Duration.ofMillis(100)).sentinel()).isFalse();
        assertThat(withReplicas("rediss://127.0.0.1:6379", 1, Duration.ofMillis(100)).sentinel()).isFalse();
        assertThat(withReplicas("", 1, Duration.ofMillis(100)).sentinel()).isFalse();
    }

    @Test
    void theReplicaSettingsAreValidatedWithTheirNames() {
        assertThatThrownBy(() -> withReplicas("", -1, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tandem.redis.replica-acks");
        assertThatThrownBy(() -> withReplicas("", 17, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tandem.redis.replica-acks");
        assertThatThrownBy(() -> withReplicas("", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tandem.redis.replica-ack-timeout");
        assertThat(withReplicas("", 0, Duration.ofMillis(1)).replicaAcks()).isZero();
    }
}
