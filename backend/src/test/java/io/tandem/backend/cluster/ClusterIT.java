package io.tandem.backend.cluster;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two real nodes sharing one real Redis see each other; a stopped node leaves the list. */
class ClusterIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper json = new ObjectMapper();

    @Test
    void twoNodesInOneRedisSeeEachOther() throws Exception {
        String secret = "it-cluster-secret-0123456789";
        try (TestNode n1 = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=n1",
                "tandem.node.cluster-secret=" + secret)) {
            TestNode n2 = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=n2",
                    "tandem.node.cluster-secret=" + secret, "tandem.demo.enabled=false",
                    "tandem.sip.udp-port=0");
            try {
                for (TestNode asked : List.of(n1, n2)) {
                    HttpResponse<String> response = asked.api().get("/api/v1/cluster/nodes", ADMIN, PASSWORD);
                    assertThat(response.statusCode()).isEqualTo(200);
                    JsonNode nodes = json.readTree(response.body());
                    assertThat(ids(nodes)).containsExactly("n1", "n2");
                    assertThat(nodes.get(1).get("sip").asText()).isEqualTo("sip:127.0.0.1:" + n2.sipPort());
                    assertThat(nodes.get(1).get("http").asText()).isEqualTo("http://127.0.0.1:" + n2.port());
                    assertThat(nodes.get(0).get("calls").asInt()).isZero();
                    assertThat(nodes.get(0).has("startedAt")).isTrue();
                }
            } finally {
                n2.close();
            }
            Await.until("n2 leaves n1's node list", Duration.ofSeconds(30), () -> {
                try {
                    return ids(json.readTree(n1.api().get("/api/v1/cluster/nodes", ADMIN, PASSWORD).body()))
                            .equals(List.of("n1"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(n1.bean(NodeRegistry.class).isAlive("n2")).isFalse();
            assertThat(n1.bean(NodeRegistry.class).isAlive("n1")).isTrue();
        }
    }

    private static List<String> ids(JsonNode nodes) {
        List<String> ids = new ArrayList<>();
        nodes.forEach(node -> ids.add(node.get("id").asText()));
        return ids;
    }
}
