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
import io.tandem.telephony.testing.RedisServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** User administration through the REST API, against a real Redis, with real HTTP Basic logins. */
class UserApiIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper json = new ObjectMapper();
    private static final String USERS = "/api/v1/tenants/demo/users";
    private static TestNode node;
    private static Api api;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        Path seed = dir.resolve("seed.yaml");
        Files.writeString(seed, """
                tenants:
                  acme:
                    users:
                      - {extension: boss, displayName: "Acme Admin", password: acme-admin, roles: [admin]}
                      - {extension: "3001", password: acme-agent, skills: {sales: 40}}
                """);
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=users-it",
                "tandem.directory.seed-file=" + seed);
        api = node.api();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void demoTenantIsSeededWithAgentsAndAnAdmin() throws Exception {
        HttpResponse<String> response = api.get(USERS, ADMIN, PASSWORD);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode users = json.readTree(response.body());
        assertThat(users).hasSize(21);
        assertThat(response.body()).contains("\"extension\":\"1001\"", "\"extension\":\"1020\"")
                .doesNotContain("ha1", PASSWORD);
        // The login may name its tenant explicitly.
        assertThat(api.get(USERS, "admin@demo", PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void adminCreatesChangesAndDeletesAUserAndOnlyHashesAreStored() throws Exception {
        HttpResponse<String> created = api.post(USERS, ADMIN, PASSWORD, """
                {"extension":"2011","displayName":"Alice Agent","password":"alice-secret",
                 "roles":["agent"],"skills":{"sales":80,"support":20}}""");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/tenants/demo/users/2011");
        JsonNode body = json.readTree(created.body());
        assertThat(body.get("displayName").asText()).isEqualTo("Alice Agent");
        assertThat(body.get("skills").get("sales").asInt()).isEqualTo(80);
        assertThat(created.body()).doesNotContain("alice-secret", "ha1");

        Map<String, String> stored = hash("tandem:{demo}:user:2011");
        assertThat(stored).containsEntry("ha1md5", Ha1.md5("2011", "demo", "alice-secret"))
                .containsEntry("ha1sha256", Ha1.sha256("2011", "demo", "alice-secret"))
                .containsEntry("skill.sales", "80");
        assertThat(stored.values()).noneMatch(value -> value.contains("alice-secret"));

        // The new user can log in; as an agent she may not administer users.
        assertThat(api.get(USERS, "2011", "alice-secret").statusCode()).isEqualTo(403);

        HttpResponse<String> duplicate = api.post(USERS, ADMIN, PASSWORD, """
                {"extension":"2011","password":"whatever1","roles":["agent"]}""");
        assertThat(duplicate.statusCode()).isEqualTo(409);

        HttpResponse<String> changed = api.put(USERS + "/2011", ADMIN, PASSWORD, """
                {"password":"new-secret","roles":["supervisor"],"skills":{"billing":50}}""");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(json.readTree(changed.body()).get("skills").toString()).isEqualTo("{\"billing\":50}");
        assertThat(json.readTree(changed.body()).get("roles").toString()).isEqualTo("[\"supervisor\"]");
        assertThat(api.get("/api/v1/cluster/nodes", "2011", "alice-secret").statusCode()).isEqualTo(401);
        assertThat(api.get("/api/v1/cluster/nodes", "2011", "new-secret").statusCode()).isEqualTo(200);

        assertThat(api.delete(USERS + "/2011", ADMIN, PASSWORD).statusCode()).isEqualTo(204);
        assertThat(api.get(USERS + "/2011", ADMIN, PASSWORD).statusCode()).isEqualTo(404);
        assertThat(api.delete(USERS + "/2011", ADMIN, PASSWORD).statusCode()).isEqualTo(404);
        assertThat(hash("tandem:{demo}:user:2011")).isEmpty();
        assertThat(api.get("/api/v1/cluster/nodes", "2011", "new-secret").statusCode()).isEqualTo(401);
    }

    @Test
    void agentGets403WithAProblemBody() throws Exception {
        HttpResponse<String> response = api.get(USERS, "1001", PASSWORD);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(response.body()).get("status").asInt()).isEqualTo(403);
    }

    @Test
    void anonymousAndWrongPasswordGet401WithAChallenge() throws Exception {
        for (HttpResponse<String> response : List.of(api.get(USERS, null, null),
                api.get(USERS, ADMIN, "wrong-password"), api.get(USERS, "nobody", PASSWORD),
                api.get("/api/v1/cluster/nodes", null, null), api.get("/actuator/prometheus", null, null),
                api.get("/anything/else", null, null))) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic realm=");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(response.body()).get("title").asText()).isEqualTo("Authentication required");
        }
    }

    @Test
    void seedFileCreatesItsTenantsAndUsers() throws Exception {
        HttpResponse<String> response = api.get("/api/v1/tenants/acme/users", "boss@acme", "acme-admin");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode users = json.readTree(response.body());
        assertThat(users.findValuesAsText("extension")).containsExactly("3001", "boss");
        assertThat(users.get(0).get("roles").toString()).isEqualTo("[\"agent\"]");
        assertThat(users.get(0).get("skills").get("sales").asInt()).isEqualTo(40);
        // Same extension names, different tenants: no crossing over.
        assertThat(api.get(USERS, "boss@acme", "acme-admin").statusCode()).isEqualTo(403);
        assertThat(api.get(USERS, "boss", "acme-admin").statusCode()).isEqualTo(401);
    }

    @Test
    void adminOfOneTenantCannotTouchAnother() {
        assertThat(api.get("/api/v1/tenants/acme/users", ADMIN, PASSWORD).statusCode()).isEqualTo(403);
        assertThat(api.post("/api/v1/tenants/acme/users", ADMIN, PASSWORD, """
                {"extension":"1","password":"secret1","roles":["admin"]}""").statusCode()).isEqualTo(403);
    }

    @Test
    void badInputGets400NamingEachField() throws Exception {
        HttpResponse<String> response = api.post(USERS, ADMIN, PASSWORD, """
                {"extension":"bad ext","password":"123","roles":["god"],"skills":{"sales":101}}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("title").asText()).isEqualTo("Invalid request");
        assertThat(problem.get("errors").findValuesAsText("field"))
                .contains("extension", "password")
                .anyMatch(field -> field.startsWith("roles"))
                .anyMatch(field -> field.startsWith("skills"));

        HttpResponse<String> missing = api.post(USERS, ADMIN, PASSWORD, "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json.readTree(missing.body()).get("errors").findValuesAsText("field"))
                .contains("extension", "password", "roles");

        HttpResponse<String> notJson = api.post(USERS, ADMIN, PASSWORD, "{\"extension\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(notJson.body()).doesNotContain("Exception");

        HttpResponse<String> wrongType = api.post(USERS, ADMIN, PASSWORD, """
                {"extension":"3001","password":"secret1","roles":"agent","skills":{"sales":"lots"}}""");
        assertThat(wrongType.statusCode()).isEqualTo(400);

        HttpResponse<String> badPath = api.get(USERS + "/bad:ext", ADMIN, PASSWORD);
        assertThat(badPath.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badPath.body()).get("errors").findValuesAsText("field")).contains("extension");
    }

    private static Map<String, String> hash(String key) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().hgetall(key);
        } finally {
            client.shutdown();
        }
    }
}
