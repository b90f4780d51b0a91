package io.tandem.callback.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tandem.callback.push.PushDevice;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FCM provider against a loopback FCM HTTP v1 server with its own OAuth2 token endpoint: the endpoint checks the
 * JWT-bearer grant (RFC 7523 §2.1) — signature with the service account's RSA key, issuer, audience, scope — and the
 * send checks the Bearer token it handed out (Google's error body shapes, "FCM error codes").
 */
class FcmPushProviderIT {

    private static final String PROJECT = "tandem-test";
    private static final String CLIENT_EMAIL = "push@tandem-test.iam.gserviceaccount.com";
    private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String DEAD_TOKEN = "dead-device";
    /**
     * The audience Google requires in a service account's JWT grant ("Using OAuth 2.0 for Server to Server
     * Applications"), whatever host the grant is posted to.
     */
    private static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger grants = new AtomicInteger();
    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    private final List<String> refusedGrants = new CopyOnWriteArrayList<>();
    private volatile String issuedToken = "";
    private volatile long expiresIn = 3600;
    private KeyPair serviceAccountKey;
    private HttpServer fcm;
    private String tokenUri;

    @BeforeEach
    void startFcm() throws IOException, GeneralSecurityException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        serviceAccountKey = rsa.generateKeyPair();
        fcm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fcm.createContext("/token", this::token);
        fcm.createContext("/v1/projects/" + PROJECT + "/messages:send", this::send);
        fcm.start();
        tokenUri = "http://127.0.0.1:" + fcm.getAddress().getPort() + "/token";
    }

    @AfterEach
    void stopFcm() {
        fcm.stop(0);
    }

    @Test
    void aRingIsAcceptedWithTheMessageNameAndIsAHighPriorityDataMessage() throws IOException {
        try (FcmPushProvider provider = provider()) {
            PushOutcome outcome = provider.send(ring("device-1", "r-1")).join();

            assertThat(outcome).isEqualTo(new PushOutcome.Accepted("projects/" + PROJECT + "/messages/1"));
        }
        assertThat(refusedGrants).isEmpty();
        JsonNode message = sent.get(0).path("message");
        assertThat(message.path("token").asText()).isEqualTo("device-1");
        assertThat(message.path("android").path("priority").asText()).isEqualTo("HIGH");
        assertThat(message.path("android").path("ttl").asText()).isEqualTo("30s");
        assertThat(message.path("android").path("collapse_key").asText()).isEqualTo("room-r-1");
        assertThat(message.path("data").path("kind").asText()).isEqualTo("ring");
        assertThat(message.path("data").path("callerNumber").asText()).isEqualTo("+33144556677");
        assertThat(message.path("data").path("joinToken").asText()).isEqualTo("jt-r-1");
        assertThat(message.has("notification")).isFalse();
    }

    @Test
    void anUnregisteredTokenIsDead() throws IOException {
        try (FcmPushProvider provider = provider()) {
            assertThat(provider.send(ring(DEAD_TOKEN, "r-2")).join())
                    .isEqualTo(new PushOutcome.DeadToken("UNREGISTERED (HTTP 404)"));
        }
    }

    @Test
    void theAccessTokenIsFetchedOnceAndReusedForLaterPushes() throws IOException {
        try (FcmPushProvider provider = provider()) {
            for (int i = 1; i <= 3; i++) {
                assertThat(provider.send(ring("device-" + i, "r-" + i)).join())
                        .isInstanceOf(PushOutcome.Accepted.class);
            }
        }
        assertThat(grants).hasValue(1);
        assertThat(sent).hasSize(3);
    }

    @Test
    void aTokenAboutToExpireIsRefreshedByTheLibraryBeforeThePush() throws IOException {
        // Below the library's expiry margin (minutes), so every push needs a fresh token; the send only accepts
        // the newest one.
        expiresIn = 60;
        try (FcmPushProvider provider = provider()) {
            assertThat(provider.send(ring("device-1", "r-1")).join()).isInstanceOf(PushOutcome.Accepted.class);
            assertThat(provider.send(ring("device-2", "r-2")).join()).isInstanceOf(PushOutcome.Accepted.class);
        }
        assertThat(grants).hasValue(2);
    }

    @Test
    void aSendWithoutTheIssuedTokenIsRefused() throws IOException {
        try (FcmPushProvider provider = provider()) {
            provider.send(ring("device-1", "r-1")).join();
            issuedToken = "revoked";
            PushOutcome outcome = provider.send(ring("device-2", "r-2")).join();

            assertThat(outcome).isEqualTo(new PushOutcome.Refused("UNAUTHENTICATED (HTTP 401)"));
        }
    }

    @Test
    void aDeviceOfAnotherProjectIsRefusedBeforeFcmIsAsked() throws IOException {
        try (FcmPushProvider provider = provider()) {
            PushMessage foreign = new PushMessage(PushKind.RING, new PushDevice(PushNetwork.FCM, "device-1", "other"),
                    "r-1", "+33144556677", "Marie", "7002", 5, "jt-r-1");

            assertThat(provider.send(foreign).join()).isInstanceOf(PushOutcome.Refused.class);
        }
        assertThat(grants).hasValue(0);
        assertThat(sent).isEmpty();
    }

    private FcmPushProvider provider() throws IOException {
        Path credentials = dir.resolve("service-account.json");
        Map<String, String> account = new HashMap<>();
        account.put("type", "service_account");
        account.put("project_id", PROJECT);
        account.put("private_key_id", "key-1");
        account.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(serviceAccountKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        account.put("client_email", CLIENT_EMAIL);
        account.put("client_id", "1234567890");
        account.put("token_uri", tokenUri);
        Files.write(credentials, json.writeValueAsBytes(account));
        return new FcmPushProvider(new PushProperties.Fcm(PROJECT, credentials.toString(),
                URI.create("http://127.0.0.1:" + fcm.getAddress().getPort() + "/"), Duration.ofSeconds(30),
                Duration.ofSeconds(10)));
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        String problem = grantProblem(form);
        if (problem != null) {
            refusedGrants.add(problem);
            respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}");
            return;
        }
        issuedToken = "ya29.test-" + grants.incrementAndGet();
        respond(exchange, 200, "{\"access_token\":\"" + issuedToken + "\",\"expires_in\":" + expiresIn
                + ",\"token_type\":\"Bearer\"}");
    }

    /** What is wrong with a JWT-bearer grant, or null. */
    private String grantProblem(Map<String, String> form) throws IOException {
        if (!GRANT_TYPE.equals(form.get("grant_type"))) {
            return "grant_type " + form.get("grant_type");
        }
        String[] jwt = form.getOrDefault("assertion", "").split("\\.");
        if (jwt.length != 3) {
            return "assertion is not a JWS";
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(serviceAccountKey.getPublic());
            rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                return "bad signature";
            }
        } catch (GeneralSecurityException e) {
            return "signature: " + e;
        }
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        if (!"RS256".equals(header.path("alg").asText())) {
            return "alg " + header.path("alg").asText();
        }
        if (!CLIENT_EMAIL.equals(claims.path("iss").asText())) {
            return "iss " + claims.path("iss").asText();
        }
        if (!GOOGLE_TOKEN_AUDIENCE.equals(claims.path("aud").asText())) {
            return "aud " + claims.path("aud").asText();
        }
        if (!claims.path("scope").asText().contains(FcmPushProvider.SCOPE)) {
            return "scope " + claims.path("scope").asText();
        }
        if (claims.path("exp").asLong() <= claims.path("iat").asLong()) {
            return "exp not after iat";
        }
        return null;
    }

    private void send(HttpExchange exchange) throws IOException {
        if (!("Bearer " + issuedToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, """
                    {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                      "status": "UNAUTHENTICATED"}}""");
            return;
        }
        JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
        if (DEAD_TOKEN.equals(body.path("message").path("token").asText())) {
            respond(exchange, 404, """
                    {"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND",
                      "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                   "errorCode": "UNREGISTERED"}]}}""");
            return;
        }
        sent.add(body);
        respond(exchange, 200, "{\"name\":\"projects/" + PROJECT + "/messages/" + sent.size() + "\"}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static PushMessage ring(String token, String room) {
        return new PushMessage(PushKind.RING, new PushDevice(PushNetwork.FCM, token, PROJECT), room, "+33144556677",
                "Marie", "7002", 5, "jt-" + room);
    }
}
