package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A trunk whose carrier (SIPp) answers 503 to every INVITE is taken out of rotation after
 * {@code tandem.trunks.health-failures} calls in a row, cluster-wide: the next calls go to the second trunk without
 * trying it, and the API shows it out of service with the reason. When a gateway that answers OPTIONS takes the
 * first carrier's place, the probe puts the trunk back in rotation.
 */
class TrunkHealthIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRUNKS = "/api/v1/tenants/demo/trunks/";
    private static final String LONDON = "000442071234567";
    private static final Pattern INVITE = Pattern.compile("^INVITE sip:", Pattern.MULTILINE);
    private static final int THRESHOLD = 2;

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = Cluster.node(redis, "health", "tandem.call.ring-timeout=10s",
                "tandem.trunks.health-failures=" + THRESHOLD, "tandem.trunks.health-probe=1s");
        put("/api/v1/tenants/demo/dial-plan", "{\"countryCode\":\"49\",\"areaCode\":\"30\",\"nationalPrefix\":\"0\","
                + "\"internationalPrefix\":\"00\",\"outsidePrefix\":\"0\"}");
        put("/api/v1/tenants/demo/dial-permissions/1001", "{\"permission\":\"international\"}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aTrunkThatRefusesEveryCallLeavesTheRotationAndAProbeBringsItBack() throws Exception {
        int port;
        try (SippProcess refusing = SippProcess.scenario("uas-refuse-503-all.xml").calls(1000).traceMessages(true)
                .timeout(Duration.ofSeconds(120)).start();
             TestPhone carrierB = TestPhone.start(UserAgentConfig.of("carrier", "127.0.0.1"), 440, 1000);
             Phone caller = Phone.registered(node, "1001", 1000, 440)) {
            carrierB.onIncoming(Call::answer);
            port = refusing.port();
            trunk("a", port, 1);
            trunk("b", carrierB.ua.sipPort(), 2);
            for (int i = 1; i <= THRESHOLD; i++) {
                connectAndHangUp(caller);
                int calls = i;
                Await.until("trunk a refused call " + i, Duration.ofSeconds(30),
                        () -> invites(refusing) == calls);
            }
            JsonNode out = Await.value("trunk a out of rotation", Duration.ofSeconds(20),
                    () -> Optional.of(view("a")).filter(v -> "out-of-service".equals(state(v))));
            assertThat(out.path("trunk").path("stateReason").asText())
                    .isEqualTo("unhealthy: " + THRESHOLD + " failures of " + THRESHOLD);
            connectAndHangUp(caller);
            assertThat(carrierB.incoming).as("every call ended up on trunk b").hasSize(THRESHOLD + 1);
            assertThat(invites(refusing)).as("out of rotation: the third call never tried trunk a")
                    .isEqualTo(THRESHOLD);
        }
        try (SippProcess upAgain = SippProcess.scenario("uas-options-200.xml").calls(1000).localPort(port)
                .traceMessages(false).timeout(Duration.ofSeconds(60)).start()) {
            Await.until("trunk a back in rotation", Duration.ofSeconds(20), () -> "in-service".equals(state(view("a"))));
            assertThat(view("a").path("trunk").path("stateReason").asText()).isEmpty();
        }
    }

    private static void connectAndHangUp(Phone caller) throws Exception {
        Call call = caller.dial(node, LONDON);
        caller.awaitState(call, CallState.CONNECTED);
        call.hangup();
        caller.awaitState(call, CallState.ENDED);
    }

    private static long invites(SippProcess carrier) {
        return INVITE.matcher(carrier.messages()).results().count();
    }

    private static String state(JsonNode view) {
        return view.path("trunk").path("state").asText();
    }

    private static void trunk(String id, int port, int priority) {
        put(TRUNKS + id, "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"authentication\":\"address\","
                + "\"codecs\":[\"PCMU\"],\"addresses\":[\"127.0.0.1\"],\"priority\":" + priority
                + ",\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
    }

    private static JsonNode view(String id) {
        try {
            return JSON.readTree(node.api().get(TRUNKS + id, TestNode.ADMIN, TestNode.PASSWORD).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(String path, String json) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }
}
