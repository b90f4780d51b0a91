package io.tandem.backend.registrar;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.rtp.RtpMediaStreamFactory;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import java.time.Duration;
import java.util.List;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two or three nodes, one Redis: nonces and bindings are cluster-wide; a dead node's bindings are not used. */
class ClusterRegistrarIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String SECRET = "cluster-registrar-it-secret-0123";
    private static final ObjectMapper json = new ObjectMapper();

    private static TestNode node(String id, boolean demo) {
        return TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=" + id,
                "tandem.node.cluster-secret=" + SECRET, "tandem.demo.enabled=" + demo,
                "tandem.registrar.flood-threshold=1000");
    }

    @Test
    void aNonceFromOneNodeIsAcceptedByAnotherAndBindingsAreSeenEverywhere() throws Exception {
        try (TestNode n1 = node("c1", true); TestNode n2 = node("c2", false);
             RtpMediaStreamFactory media = new RtpMediaStreamFactory(40200, 40299)) {
            try (RawRegisterClient phone = new RawRegisterClient("1012", n1.sipPort())) {
                Response challenge = phone.send(phone.register(120, phone.contact()));
                assertThat(challenge.getStatusCode()).isEqualTo(401);
                DigestChallenge fromN1 = RawRegisterClient.challenges(challenge).get(0);
                Response accepted = phone.to(n2.sipPort()).send(phone.authorize(phone.register(120, phone.contact()),
                        fromN1, new DigestClient(), PASSWORD));
                assertThat(accepted.getStatusCode()).isEqualTo(200);
                assertThat(n1.bean(Bindings.class).lookup("demo", "1012")).extracting(Binding::node)
                        .containsExactly("c2");
            }

            RegistrarIT.Listener listener = new RegistrarIT.Listener();
            UserAgentConfig config = UserAgentConfig.of("1013", "127.0.0.1").withPassword(PASSWORD)
                    .withRegistrars(List.of("sip:127.0.0.1:" + n1.sipPort())).withRtpPorts(40300, 40399);
            try (UserAgent ua = UserAgent.start(config, media, listener)) {
                listener.await(RegistrationState.REGISTERED);
                JsonNode seenByN2 = json.readTree(n2.api().get("/api/v1/registrations/1013", ADMIN, PASSWORD).body());
                JsonNode contact = seenByN2.get("contacts").get(0);
                assertThat(contact.get("node").asText()).isEqualTo("c1");
                assertThat(contact.get("source").asText()).isEqualTo("127.0.0.1:" + ua.sipPort());
            }
        }
    }

    @Test
    void aBindingOfANodeThatStoppedIsNotReturned() throws Exception {
        try (TestNode n1 = node("d1", true)) {
            TestNode n2 = node("d2", false);
            try (RawRegisterClient phone = new RawRegisterClient("1014", n2.sipPort())) {
                assertThat(phone.registerWithPassword(PASSWORD, 300, phone.contact()).getStatusCode()).isEqualTo(200);
                assertThat(n1.bean(Bindings.class).lookup("demo", "1014")).extracting(Binding::node)
                        .containsExactly("d2");
            } finally {
                n2.close(); // stops beating: d2's heartbeat key goes
            }
            Await.until("d2 is no longer alive", Duration.ofSeconds(30),
                    () -> !n1.bean(NodeRegistry.class).isAlive("d2"));
            // The binding is still in Redis until it expires, but nobody is handed a contact only d2 could reach.
            assertThat(n1.bean(Redis.class).commands().hgetall(Keys.registration("demo", "1014"))).isNotEmpty();
            assertThat(n1.bean(Bindings.class).lookup("demo", "1014")).isEmpty();
            assertThat(json.readTree(n1.api().get("/api/v1/registrations/1014", ADMIN, PASSWORD).body())
                    .get("contacts")).isEmpty();
            assertThat(n1.bean(Bindings.class).all("demo")).doesNotContainKey("1014");
        }
    }
}
