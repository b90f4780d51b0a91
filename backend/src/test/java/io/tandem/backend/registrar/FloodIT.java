package io.tandem.backend.registrar;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A password-guessing flood from one source: 403s, then the source is blocked, and the block is counted. */
class FloodIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void twentyWrongPasswordsGet403sThenTheSourceIsBlocked() throws Exception {
        try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=flood-it",
                "tandem.registrar.flood-threshold=5", "tandem.registrar.flood-window=60s",
                "tandem.registrar.flood-block=120s");
             RawRegisterClient attacker = new RawRegisterClient("1001", node.sipPort())) {
            DigestChallenge challenge = RawRegisterClient.challenges(
                    attacker.send(attacker.register(60, attacker.contact()))).get(0);
            DigestClient digest = new DigestClient();
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Response response = attacker.send(attacker.authorize(attacker.register(60, attacker.contact()),
                        challenge, digest, "guess-" + i));
                assertThat(response.getStatusCode()).isEqualTo(403);
                answers.add(response.getReasonPhrase());
            }
            assertThat(answers.subList(0, 5)).containsOnly("Wrong credentials");
            assertThat(answers.subList(5, 20)).allSatisfy(reason -> assertThat(reason).contains("blocked"));

            // Blocked means blocked: even the right password from that source is refused now.
            Response right = attacker.registerWithPassword(PASSWORD, 60, attacker.contact());
            assertThat(right.getStatusCode()).isEqualTo(403);
            assertThat(right.getReasonPhrase()).contains("blocked");
            assertThat(node.bean(Bindings.class).lookup("demo", "1001")).isEmpty();

            String metrics = node.api().get("/actuator/prometheus", ADMIN, PASSWORD).body();
            assertThat(metrics).containsPattern("tandem_sip_blocked_total\\{[^}]*node=\"flood-it\"[^}]*} 16\\.0");
            assertThat(metrics).containsPattern("tandem_sip_responses_total\\{[^}]*class=\"4xx\"[^}]*} 22\\.0");
        }
    }
}
