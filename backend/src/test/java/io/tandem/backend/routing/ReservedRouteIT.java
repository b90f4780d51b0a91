package io.tandem.backend.routing;

import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.backend.TestNode;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.registrar.RawRegisterClient;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reserved agent is routed from the bindings its claim read, without reading them again: the route must be the
 * one a fresh lookup makes, for a phone on this node and one on another, and a binding the view cannot vouch for
 * (its node died, or it expired) must not be rung.
 */
class ReservedRouteIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper json = new ObjectMapper();

    private static TestNode node(String id, boolean demo) {
        return TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=" + id,
                "tandem.node.cluster-secret=reserved-route-it-secret-012345", "tandem.demo.enabled=" + demo,
                "tandem.registrar.flood-threshold=1000");
    }

    /** The binding records of an extension as the claim script returns them: the hash's contact fields. */
    private static List<String> records(TestNode node, String extension) {
        return node.bean(Redis.class).commands().hgetall(Keys.registration("demo", extension)).entrySet().stream()
                .filter(field -> field.getKey().startsWith("c:")).map(java.util.Map.Entry::getValue).toList();
    }

    @Test
    void aReservedAgentIsRoutedAsAFreshLookupWouldRouteIt() throws Exception {
        try (TestNode n1 = node("r1", true)) {
            TestNode n2 = node("r2", false);
            CallRouter router = n1.bean(CallRouter.class);
            try (RawRegisterClient local = new RawRegisterClient("1015", n1.sipPort());
                 RawRegisterClient remote = new RawRegisterClient("1016", n2.sipPort())) {
                assertThat(local.registerWithPassword(PASSWORD, 300, local.contact()).getStatusCode()).isEqualTo(200);
                assertThat(remote.registerWithPassword(PASSWORD, 300, remote.contact()).getStatusCode())
                        .isEqualTo(200);
                n1.bean(NodeRegistry.class).aliveIds(); // the sweep's read of the cluster: r1 has seen r2 alive

                Route here = router.routeReserved("demo", "1015", records(n1, "1015"));
                assertThat(here).isEqualTo(router.route("demo", "1015", false));
                assertThat(((Route.Ring) here).targets()).singleElement()
                        .satisfies(target -> assertThat(target.viaTrunk()).isFalse());

                Route there = router.routeReserved("demo", "1016", records(n1, "1016"));
                assertThat(there).isEqualTo(router.route("demo", "1016", false));
                assertThat(((Route.Ring) there).targets()).singleElement()
                        .satisfies(target -> assertThat(target.trunkNode()).isEqualTo("r2"));

                ObjectNode moved = (ObjectNode) json.readTree(records(n1, "1015").get(0));
                moved.put("reachable", "sip:1015@127.0.0.9:5099");
                assertThat(router.routeReserved("demo", "1015", List.of(json.writeValueAsString(moved))))
                        .as("routed from the records the claim read, not from a second read of Redis")
                        .isEqualTo(new Route.Ring(List.of(new Route.Target("sip:1015@127.0.0.9:5099", "udp", null))));

                String expired = records(n1, "1015").get(0).replaceFirst("\"expiresAt\":\\d+", "\"expiresAt\":1");
                assertThat(router.routeReserved("demo", "1015", List.of(expired)))
                        .as("an expired record is not rung; the fresh lookup decides")
                        .isEqualTo(router.route("demo", "1015", false));
                assertThat(router.routeReserved("demo", "1017", List.of())).isInstanceOf(Route.Offline.class);
                assertThat(router.routeReserved("demo", "9999", List.of())).isInstanceOf(Route.Unknown.class);
            } finally {
                n2.close();
            }
            List<String> ofDeadNode = records(n1, "1016");
            Await.until("r2 is no longer alive", Duration.ofSeconds(30),
                    () -> !n1.bean(NodeRegistry.class).isAlive("r2"));
            assertThat(ofDeadNode).as("the binding outlives its node").isNotEmpty();
            assertThat(router.routeReserved("demo", "1016", ofDeadNode)).isInstanceOf(Route.Offline.class);
        }
    }
}
