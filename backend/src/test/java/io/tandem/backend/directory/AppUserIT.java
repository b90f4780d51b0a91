package io.tandem.backend.directory;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.backend.Api;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.registrar.RawRegisterClient;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * App users through the REST API as a tenant's business backend uses it (its API key) and through SIP as the app
 * does: one real node, one real Redis.
 */
class AppUserIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    static final String DEMO_KEY = "tk_app-user-it-demo-key-0123456789";
    private static final String APP_USERS = "/api/v1/tenants/demo/app-users";
    private static final ObjectMapper json = new ObjectMapper();
    private static TestNode node;
    private static Api api;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=app-users-it",
                "tandem.node.cluster-secret=app-user-it-secret-0123456789", "tandem.demo.api-key=" + DEMO_KEY,
                "tandem.registrar.flood-threshold=1000");
        api = node.api();
        client = RedisClient.create(redis.uri());
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown();
        node.close();
    }

    private static HttpResponse<String> withKey(String method, String path, String key, String body) {
        return api.send(method, path, Map.of("X-Api-Key", key), body);
    }

    @Test
    void theDemoSeedsAppUsersAndItsConfiguredKeyListsThem() throws Exception {
        HttpResponse<String> response = withKey("GET", APP_USERS, DEMO_KEY, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).findValuesAsText("id"))
                .contains("2001", "2002", "2003", "2004", "2005").doesNotContain("1001", ADMIN);
        // Extensions do not list app users, and an app user's password is no login to the API.
        assertThat(json.readTree(api.get("/api/v1/tenants/demo/users", ADMIN, PASSWORD).body())
                .findValuesAsText("extension")).contains("1001").doesNotContain("2001");
        assertThat(api.get("/api/v1/queues", "2001@demo", PASSWORD).statusCode()).isEqualTo(401);
    }

    @Test
    void aKeyOpensTheAppUserApiOfItsTenantOnly() throws Exception {
        HttpResponse<String> created = api.post("/api/v1/tenants/demo/api-keys", ADMIN, PASSWORD,
                "{\"name\": \"crm\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode issued = json.readTree(created.body());
        String key = issued.get("key").asText();
        assertThat(key).startsWith("tk_");
        assertThat(api.get("/api/v1/tenants/demo/api-keys", ADMIN, PASSWORD).body())
                .contains(issued.get("id").asText()).doesNotContain(key);
        assertThat(connection.sync().hgetall(Keys.apiKeys("demo")).toString()).doesNotContain(key);

        assertThat(api.send("GET", APP_USERS, Map.of(), null).statusCode()).as("no key").isEqualTo(401);
        assertThat(withKey("GET", APP_USERS, "tk_made-up", null).statusCode()).as("unknown key").isEqualTo(401);
        assertThat(withKey("GET", "/api/v1/tenants/acme/app-users", key, null).statusCode())
                .as("another tenant's").isEqualTo(403);
        assertThat(withKey("GET", "/api/v1/tenants/demo/users", key, null).statusCode())
                .as("a key opens nothing but app users").isEqualTo(401);
        assertThat(api.get(APP_USERS, "1001", PASSWORD).statusCode()).as("an agent").isEqualTo(403);
        assertThat(api.get(APP_USERS, ADMIN, PASSWORD).statusCode()).as("the tenant's admin").isEqualTo(200);

        HttpResponse<String> bad = withKey("POST", APP_USERS, key, "{\"id\": \"no spaces\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).get("errors").findValuesAsText("field")).containsExactly("id");
        bad = withKey("POST", APP_USERS, key, "{\"id\": \"2150\", \"password\": \"short\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).get("errors").findValuesAsText("field")).containsExactly("password");
        assertThat(withKey("POST", APP_USERS, key, "{\"id\": \"1001\"}").statusCode())
                .as("an extension's number").isEqualTo(409);

        assertThat(api.delete("/api/v1/tenants/demo/api-keys/" + issued.get("id").asText(), ADMIN, PASSWORD)
                .statusCode()).isEqualTo(204);
        assertThat(withKey("GET", APP_USERS, key, null).statusCode()).as("revoked").isEqualTo(401);
    }

    @Test
    void aCreatedAppUserRegistersItsPasswordRotatesAndDeletingItRemovesItsBindings() throws Exception {
        HttpResponse<String> created = withKey("POST", APP_USERS, DEMO_KEY,
                "{\"id\": \"2101\", \"displayName\": \"Ada Customer\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String password = json.readTree(created.body()).get("password").asText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(withKey("GET", APP_USERS + "/2101", DEMO_KEY, null).body())
                .contains("Ada Customer").doesNotContain(password);

        try (RawRegisterClient phone = new RawRegisterClient("2101", node.sipPort())) {
            assertThat(phone.registerWithPassword(password, 300, phone.contact()).getStatusCode()).isEqualTo(200);

            HttpResponse<String> rotated = withKey("POST", APP_USERS + "/2101/password", DEMO_KEY, null);
            assertThat(rotated.statusCode()).isEqualTo(200);
            String next = json.readTree(rotated.body()).get("password").asText();
            assertThat(next).isNotEqualTo(password);
            assertThat(phone.registerWithPassword(password, 300, phone.contact()).getStatusCode())
                    .as("the old password").isEqualTo(403);
            assertThat(phone.registerWithPassword(next, 300, phone.contact()).getStatusCode()).isEqualTo(200);
        }
        assertThat(connection.sync().exists(Keys.registration("demo", "2101"))).isEqualTo(1L);
        connection.sync().hset(Keys.pushBindings("demo", "2101"), "device", "{}");

        assertThat(withKey("DELETE", APP_USERS + "/2101", DEMO_KEY, null).statusCode()).isEqualTo(204);
        assertThat(connection.sync().exists(Keys.user("demo", "2101"), Keys.registration("demo", "2101"),
                Keys.pushBindings("demo", "2101"))).as("user, SIP and push bindings").isZero();
        assertThat(connection.sync().zscore(Keys.registrations("demo"), "2101")).isNull();
        assertThat(withKey("DELETE", APP_USERS + "/2101", DEMO_KEY, null).statusCode()).isEqualTo(404);
        assertThat(withKey("DELETE", APP_USERS + "/1001", DEMO_KEY, null).statusCode())
                .as("an extension is not deleted here").isEqualTo(404);
        assertThat(api.get("/api/v1/tenants/demo/users/1001", ADMIN, PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void anAppUserReachesQueuesOnlyAndExtensionsReachAppUsers() throws Exception {
        try (TestPhone app = phone("2002", 1000, 440);
             TestPhone agent = phone("1003", 440, 1000);
             TestPhone otherApp = phone("2003", 440, 1000)) {
            for (String forbidden : List.of("1003", "2003", "0044201234567", "+442012345678")) {
                Call call = app.dial("sip:" + forbidden + "@127.0.0.1:" + node.sipPort());
                app.awaitState(call, CallState.ENDED);
                assertThat(call.endStatus()).as(forbidden).isEqualTo(403);
            }
            assertThat(agent.incoming).as("the extension never rang").isEmpty();
            assertThat(otherApp.incoming).as("the other app user never rang").isEmpty();

            // Queue 7000 answers the app user (music on hold while it waits for an agent).
            Call queue = app.dial("sip:7000@127.0.0.1:" + node.sipPort());
            app.awaitState(queue, CallState.CONNECTED);
            queue.hangup();
            app.awaitState(queue, CallState.ENDED);

            // An extension calls an app user back; the app user cannot transfer that call to an extension.
            otherApp.answering();
            Call back = agent.dial("sip:2003@127.0.0.1:" + node.sipPort());
            agent.awaitState(back, CallState.CONNECTED);
            Call taken = RecordingListener.next(otherApp.incoming, "the call back");
            taken.transfer("sip:1004@127.0.0.1:" + node.sipPort());
            assertThat(RecordingListener.next(otherApp.transferProgress, "REFER refused")).isEqualTo(403);
            back.hangup();
            agent.awaitState(back, CallState.ENDED);
        }
    }

    private static TestPhone phone(String user, double speaks, double hears) throws Exception {
        TestPhone phone = TestPhone.start(UserAgentConfig.of(user, "127.0.0.1").withPassword(PASSWORD)
                .withRegistrars(List.of("sip:127.0.0.1:" + node.sipPort()))
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30)), speaks, hears);
        phone.awaitRegistration(RegistrationState.REGISTERED);
        return phone;
    }
}
