package io.tandem.backend.registrar;

import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.peers.BaresipEvent;
import io.tandem.telephony.peers.BaresipProcess;
import io.tandem.telephony.testing.RedisServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** baresip, a real softphone, registers to the node with digest. */
class BaresipRegisterIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void baresipRegisters() {
        try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=baresip-it");
             BaresipProcess phone = BaresipProcess.builder()
                     .registerTo(new InetSocketAddress("127.0.0.1", node.sipPort()), "1015", PASSWORD,
                             Duration.ofSeconds(600)).start()) {
            BaresipEvent ok = phone.awaitEvent(BaresipEvent.REGISTER_OK, Duration.ofSeconds(30));
            assertThat(ok.param()).startsWith("200");
            assertThat(node.bean(Bindings.class).lookup("demo", "1015")).singleElement().satisfies(binding -> {
                assertThat(binding.node()).isEqualTo("baresip-it");
                assertThat(binding.source()).isEqualTo("127.0.0.1:" + phone.sipPort());
                assertThat(binding.userAgent()).containsIgnoringCase("baresip");
            });
        }
    }
}
