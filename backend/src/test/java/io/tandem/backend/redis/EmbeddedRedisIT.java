package io.tandem.backend.redis;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.backend.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Without a Redis URI the node runs the embedded Redis binary, says so, and stops it on shutdown. */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedRedisIT {

    @Test
    void nodeWithoutUriStartsAndStopsAnEmbeddedRedis(CapturedOutput output) {
        int port;
        try (TestNode node = TestNode.start("tandem.node.id=embedded-it")) {
            port = node.bean(Redis.class).embeddedPort();
            assertThat(port).isPositive();
            assertThat(output.getOut()).contains("started embedded Redis on 127.0.0.1:" + port);

            // The node works on it: users are seeded there and the API answers.
            assertThat(node.api().get("/api/v1/tenants/demo/users/1001", ADMIN, PASSWORD).statusCode())
                    .isEqualTo(200);
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertThat(connection.sync().hget("tandem:{demo}:user:1001", "ha1md5")).hasSize(32);
                assertThat(connection.sync().exists("tandem:node:embedded-it")).isEqualTo(1L);
            } finally {
                client.shutdown();
            }
        }
        assertThat(output.getOut()).contains("stopped embedded Redis on 127.0.0.1:" + port);
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try {
            assertThatThrownBy(client::connect).isInstanceOf(RedisConnectionException.class);
        } finally {
            client.shutdown();
        }
    }
}
