package io.tandem.backend.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A trunk with registration authentication: the node registers to the carrier (SIPp as a digest registrar that
 * checks the credentials), answering its challenge with the trunk's user and password; the trunk's view shows the
 * state per node and never the password; wrong credentials show as a failed registration.
 */
class CarrierRegistrationIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=registering",
                "tandem.node.cluster-secret=trunk-it-cluster-secret-0123456789",
                "tandem.trunks.registration-check=1s");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theNodeRegistersToTheCarrierWithTheTrunksCredentials() throws Exception {
        try (SippProcess carrier = SippProcess.scenario("register-digest-uas.xml")
                .expectCredentials("acme", "s3cret-pass").key("realm", "carrier.test").calls(1).traceMessages(false)
                .timeout(Duration.ofSeconds(60)).start()) {
            trunk("reg", carrier.port(), "s3cret-pass");
            SippResult result = carrier.awaitExit(Duration.ofSeconds(60));
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
            JsonNode registration = Await.value("the registration's state", Duration.ofSeconds(20), () -> {
                JsonNode state = view("reg").path("registrations").path("registering");
                return Optional.of(state).filter(s -> "registered".equals(s.path("state").asText()));
            });
            assertThat(registration.path("status").asInt()).isEqualTo(200);
            assertThat(registration.path("expiresAt").asText()).isNotEmpty();
            assertThat(view("reg").toString()).doesNotContain("s3cret-pass");
        }
    }

    @Test
    void wrongCredentialsShowAsAFailedRegistration() throws Exception {
        try (SippProcess carrier = SippProcess.scenario("register-digest-uas.xml")
                .expectCredentials("acme", "the-right-one").key("realm", "carrier.test").calls(1)
                .traceMessages(false).timeout(Duration.ofSeconds(60)).start()) {
            trunk("wrong", carrier.port(), "not-the-right-one");
            JsonNode registration = Await.value("the registration's state", Duration.ofSeconds(30), () -> {
                JsonNode state = view("wrong").path("registrations").path("registering");
                return Optional.of(state).filter(s -> "failed".equals(s.path("state").asText()));
            });
            assertThat(registration.path("status").asInt()).isEqualTo(403);
        }
    }

    /** A node that died holding calls on a trunk leaves its channels seized; a live node's sweep gives them back. */
    @Test
    void theChannelsOfADeadNodeAreGivenBack() {
        HttpResponse<String> created = node.api().put("/api/v1/tenants/demo/trunks/swept", TestNode.ADMIN,
                TestNode.PASSWORD, "{\"host\":\"127.0.0.1\",\"authentication\":\"address\","
                        + "\"addresses\":[\"127.0.0.1\"],\"maxChannels\":2,"
                        + "\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        RedisCommands<String, String> redis = node.bean(Redis.class).commands();
        String channels = Keys.trunkChannels("demo", "swept");
        redis.hset(channels, Map.of("ghost-call@tandem", "ghost", "live-call@tandem", "registering"));
        Await.until("the dead node's channel is given back", Duration.ofSeconds(20),
                () -> !redis.hexists(channels, "ghost-call@tandem"));
        assertThat(redis.hget(channels, "live-call@tandem")).as("a live node's call keeps its channel")
                .isEqualTo("registering");
        redis.del(channels);
    }

    private static void trunk(String id, int port, String password) {
        HttpResponse<String> response = node.api().put("/api/v1/tenants/demo/trunks/" + id, TestNode.ADMIN,
                TestNode.PASSWORD, "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"authentication\":\"registration\","
                        + "\"username\":\"acme\",\"password\":\"" + password + "\","
                        + "\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static JsonNode view(String id) {
        try {
            return JSON.readTree(node.api().get("/api/v1/tenants/demo/trunks/" + id, TestNode.ADMIN,
                    TestNode.PASSWORD).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
