package io.tandem.backend.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.Role;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.testing.RedisServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SIPp registers 1,000 distinct users with digest; every one gets its binding. */
class SippRegisterIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final int USERS = 1000;
    private static final int FIRST = 20001;

    @Test
    void thousandUsersRegisterWithDigestWithoutAFailure() {
        try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=sipp-it")) {
            Directory directory = node.bean(Directory.class);
            StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
            for (int i = 0; i < USERS; i++) {
                String extension = Integer.toString(FIRST + i);
                String password = "pw-" + extension;
                assertThat(directory.create("demo", extension, "Load " + extension, Set.of(Role.AGENT), password,
                        Map.of())).isTrue();
                csv.append(extension).append(";[authentication username=").append(extension).append(" password=")
                        .append(password).append("]\n");
            }
            try (SippProcess sipp = SippProcess.scenario("register-digest-uac.xml")
                    .remote(new InetSocketAddress("127.0.0.1", node.sipPort()))
                    .injection(csv.toString()).calls(USERS).rate(100).maxConcurrent(50)
                    .traceMessages(false).timeout(Duration.ofSeconds(120)).start()) {
                SippResult result = sipp.awaitExit(Duration.ofSeconds(150));
                assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
                assertThat(result.successfulCalls()).isEqualTo(USERS);
                assertThat(result.failedCalls()).isZero();
            }
            Map<String, ?> registered = node.bean(Bindings.class).all("demo");
            assertThat(registered).hasSize(USERS);
        }
    }
}
