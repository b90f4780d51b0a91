package io.tandem.backend.registrar;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.PushBinding;
import io.tandem.telephony.testing.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sip.header.WarningHeader;
import javax.sip.message.Response;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 8599 push bindings kept by a real node's registrar in a real Redis, from the REGISTERs of app users that a
 * business backend provisioned over REST with the tenant's API key.
 */
class PushBindingIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String KEY = "tk_push-binding-it-key-0123456789";
    private static final String TEAM_TOPIC = "ABCDE12345.com.example.app.voip";
    private static final ObjectMapper json = new ObjectMapper();
    private static TestNode node;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=push-it",
                "tandem.node.cluster-secret=push-binding-it-secret-0123456789", "tandem.demo.api-key=" + KEY,
                "tandem.registrar.push-binding-lifetime=2d");
        client = RedisClient.create(redis.uri());
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown();
        node.close();
    }

    @Test
    void anAppRegistersWithApnsAndItsNextRegisterFromTheSameInstanceReplacesTheBinding() throws Exception {
        String password = appUser("2201");
        String instance = "urn:uuid:6f1b0e0a-0000-4000-8000-000000002201";
        try (RawRegisterClient app = new RawRegisterClient("2201", node.sipPort())) {
            long before = System.currentTimeMillis();
            Response ok = app.registerWithPassword(password, 300, apns(app, token('a'), instance));
            assertThat(ok.getStatusCode()).isEqualTo(200);
            assertThat(ok.getHeader("Feature-Caps").toString()).contains("+sip.pns=\"apns\"");

            List<PushBinding> bindings = bindings("2201");
            assertThat(bindings).hasSize(1);
            PushBinding binding = bindings.get(0);
            assertThat(binding.device()).isEqualTo(instance);
            assertThat(binding.provider()).isEqualTo("apns");
            assertThat(binding.prid()).isEqualTo(token('a'));
            assertThat(binding.param()).isEqualTo(TEAM_TOPIC);
            assertThat(binding.node()).isEqualTo("push-it");
            assertThat(binding.expiresAt() - binding.updatedAt()).isEqualTo(Duration.ofDays(2).toMillis());
            assertThat(binding.updatedAt()).isGreaterThanOrEqualTo(before);
            assertThat(connection.sync().pttl(Keys.pushBindings("demo", "2201")))
                    .as("the hash goes with its last binding").isGreaterThan(Duration.ofDays(1).toMillis());
            assertThat(deviceEvents("2201")).containsExactly(new DeviceEvent("2201", instance, "apns", "push-it",
                    binding.updatedAt()));

            // The app got a new token: same instance, new pn-prid (and so a new contact URI).
            assertThat(app.registerWithPassword(password, 300, apns(app, token('b'), instance)).getStatusCode())
                    .isEqualTo(200);
            assertThat(bindings("2201")).extracting(PushBinding::prid).containsExactly(token('b'));
            assertThat(deviceEvents("2201")).hasSize(2);

            // Supervisors and admins read them over REST; agents do not.
            HttpResponse<String> rest = node.api().get("/api/v1/tenants/demo/push-bindings/2201", ADMIN, PASSWORD);
            assertThat(rest.statusCode()).isEqualTo(200);
            JsonNode listed = json.readTree(rest.body());
            assertThat(listed.findValuesAsText("prid")).containsExactly(token('b'));
            assertThat(node.api().get("/api/v1/tenants/demo/push-bindings/2201", "1001", PASSWORD).statusCode())
                    .isEqualTo(403);
            assertThat(node.api().get("/api/v1/tenants/demo/push-bindings/nobody", ADMIN, PASSWORD).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void unregisteringKeepsThePushBindingSoTheSleepingAppCanBeWoken() throws Exception {
        String password = appUser("2202");
        try (RawRegisterClient app = new RawRegisterClient("2202", node.sipPort())) {
            String contact = "<sip:2202@127.0.0.1:" + app.port() + ";pn-provider=fcm;pn-prid=" + fcmToken()
                    + ";pn-param=tandem-demo-app>";
            assertThat(app.registerWithPassword(password, 300, contact).getStatusCode()).isEqualTo(200);
            assertThat(node.bean(Bindings.class).lookup("demo", "2202")).hasSize(1);

            assertThat(app.registerWithPassword(password, 0, contact).getStatusCode()).isEqualTo(200);
            assertThat(node.bean(Bindings.class).lookup("demo", "2202")).as("SIP binding").isEmpty();
            assertThat(bindings("2202")).as("push binding").extracting(PushBinding::device, PushBinding::provider)
                    .containsExactly(Tuple.tuple(fcmToken(), "fcm"));
            assertThat(deviceEvents("2202")).as("unregistering is no device event").hasSize(1);

            // Registering again from the same token, now with an instance id: still one binding, keyed by instance.
            String instance = "urn:uuid:6f1b0e0a-0000-4000-8000-000000002202";
            assertThat(app.registerWithPassword(password, 300, contact + ";+sip.instance=\"<" + instance + ">\"")
                    .getStatusCode()).isEqualTo(200);
            assertThat(bindings("2202")).extracting(PushBinding::device).containsExactly(instance);
        }
    }

    @Test
    void aMalformedParameterIs400NamingItAnUnknownProviderIsTakenWithoutPushAndLapsedBindingsArePruned() throws Exception {
        String password = appUser("2203");
        try (RawRegisterClient app = new RawRegisterClient("2203", node.sipPort())) {
            Response bad = app.registerWithPassword(password, 300, "<sip:2203@127.0.0.1:" + app.port()
                    + ";pn-provider=apns;pn-prid=" + token('c') + ";pn-param=com.example.app.voip>");
            assertThat(bad.getStatusCode()).isEqualTo(400);
            assertThat(bad.getReasonPhrase()).startsWith("Bad pn-param");
            assertThat(((WarningHeader) bad.getHeader(WarningHeader.NAME)).getText()).contains("pn-param");
            assertThat(node.bean(Bindings.class).lookup("demo", "2203")).as("nothing registered").isEmpty();

            // A binding that lapsed: readers skip it, and the user's next REGISTER, push parameters or not, prunes it.
            connection.sync().hset(Keys.pushBindings("demo", "2203"), "old-device",
                    "{\"device\":\"old-device\",\"provider\":\"fcm\",\"prid\":\"x\",\"expiresAt\":1}");
            assertThat(bindings("2203")).isEmpty();
            for (int i = 0; i < 2; i++) {
                assertThat(app.registerWithPassword(password, 300, "<sip:2203@127.0.0.1:" + app.port()
                        + ";pn-provider=acme-push;pn-prid=device-1>").getStatusCode()).isEqualTo(200);
            }
            assertThat(node.bean(Bindings.class).lookup("demo", "2203")).hasSize(1);
            assertThat(connection.sync().exists(Keys.pushBindings("demo", "2203"))).as("pruned, none added").isZero();
            assertThat(deviceEvents("2203")).isEmpty();
        }
    }

    /** Creates an app user as a business backend does, answering its generated password. */
    private static String appUser(String id) throws Exception {
        HttpResponse<String> created = node.api().send("POST", "/api/v1/tenants/demo/app-users",
                Map.of("X-Api-Key", KEY), "{\"id\": \"" + id + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return json.readTree(created.body()).get("password").asText();
    }

    private static String apns(RawRegisterClient app, String token, String instance) {
        return "<sip:2201@127.0.0.1:" + app.port() + ";pn-provider=apns;pn-prid=" + token + ";pn-param=" + TEAM_TOPIC
                + ">;+sip.instance=\"<" + instance + ">\"";
    }

    private static String token(char digit) {
        return String.valueOf(digit).repeat(64);
    }

    private static String fcmToken() {
        return "fMx3Q:APA91bH-2202_token";
    }

    private static List<PushBinding> bindings(String user) {
        return node.bean(PushBindings.class).find("demo", user);
    }

    private static List<DeviceEvent> deviceEvents(String user) {
        return connection.sync().xrange(Keys.deviceEvents("demo"), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).map(DeviceEvent::of).filter(e -> e.user().equals(user)).toList();
    }
}
