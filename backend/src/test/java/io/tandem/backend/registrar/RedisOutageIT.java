package io.tandem.backend.registrar;

import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.time.Duration;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without Redis the node cannot decide on a REGISTER: it says 503 so the phone tries another node, then recovers. */
class RedisOutageIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void registerGets503WhileRedisIsDownAndSucceedsOnceItIsBack() throws Exception {
        try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=outage-it",
                "tandem.redis.command-timeout=2s");
             RawRegisterClient phone = new RawRegisterClient("1018", node.sipPort())) {
            redis.stop();
            try {
                Response challenge = phone.send(phone.register(60, phone.contact()));
                assertThat(challenge.getStatusCode()).as("nonces need no Redis").isEqualTo(401);
                Response unavailable = phone.send(phone.authorize(phone.register(60, phone.contact()),
                        RawRegisterClient.challenges(challenge).get(0), new DigestClient(), PASSWORD));
                assertThat(unavailable.getStatusCode()).isEqualTo(503);
                assertThat(unavailable.getHeader(RetryAfterHeader.NAME)).isNotNull();
            } finally {
                redis.restart();
            }
            // The test Redis keeps nothing on disk: put the user back once the connection is up again.
            Await.until("the node reaches Redis again", Duration.ofSeconds(30), () -> {
                try {
                    return node.bean(io.tandem.backend.directory.Directory.class).find("demo", "1018").isPresent()
                            || node.bean(io.tandem.backend.directory.Directory.class).create("demo", "1018", "1018",
                            java.util.Set.of(io.tandem.backend.directory.Role.AGENT), PASSWORD, java.util.Map.of());
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
            Await.until("REGISTER succeeds again after Redis is back", Duration.ofSeconds(30), () -> {
                try {
                    return phone.registerWithPassword(PASSWORD, 60, phone.contact()).getStatusCode() == 200;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
