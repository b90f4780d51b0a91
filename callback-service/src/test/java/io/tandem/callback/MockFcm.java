package io.tandem.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback FCM HTTP v1 server with its own OAuth2 token endpoint, standing in for Google: the token endpoint
 * checks the JWT-bearer grant (RFC 7523 §2.1) — signature with the test service account's RSA key, issuer, audience,
 * scope — and {@code messages:send} accepts only the Bearer token it handed out last, answering in Google's error
 * shapes ("FCM error codes"); {@link #DEAD_TOKEN} is {@code UNREGISTERED}. The service account JSON it writes names
 * this server as its {@code token_uri}. Every accepted message is kept for the test to look at.
 */
public final class MockFcm implements AutoCloseable {

    public static final String PROJECT = "tandem-test";
    /** A registration token FCM answers 404 {@code UNREGISTERED}. */
    public static final String DEAD_TOKEN = "dead-device";
    /** The OAuth2 scope of FCM HTTP v1. */
    public static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final String CLIENT_EMAIL = "push@tandem-test.iam.gserviceaccount.com";
    private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /**
     * The audience Google requires in a service account's JWT grant ("Using OAuth 2.0 for Server to Server
     * Applications"), whatever host the grant is posted to.
     */
    private static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";

    /** An accepted message: the registration token, the collapse key and the data fields. */
    public record Message(String token, String collapseKey, Map<String, String> data) {
        public String kind() {
            return data.get("kind");
        }

        public String room() {
            return data.get("roomId");
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger grants = new AtomicInteger();
    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    private final List<String> refusedGrants = new CopyOnWriteArrayList<>();
    private final KeyPair serviceAccountKey;
    private final HttpServer server;
    private final Path credentials;
    private volatile String issuedToken = "";
    private volatile long expiresIn = 3600;

    /** Starts the server and writes the service account's key file into {@code dir}. */
    public MockFcm(Path dir) throws IOException, GeneralSecurityException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        serviceAccountKey = rsa.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v1/projects/" + PROJECT + "/messages:send", this::send);
        server.start();
        credentials = dir.resolve("fcm-service-account.json");
        Map<String, String> account = new HashMap<>();
        account.put("type", "service_account");
        account.put("project_id", PROJECT);
        account.put("private_key_id", "key-1");
        account.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(serviceAccountKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        account.put("client_email", CLIENT_EMAIL);
        account.put("client_id", "1234567890");
        account.put("token_uri", baseUrl() + "token");
        Files.write(credentials, json.writeValueAsBytes(account));
    }

    /** {@code http://127.0.0.1:<port>/}: the {@code base-url} the service sends to. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The service account JSON (its {@code token_uri} is this server). */
    public Path credentials() {
        return credentials;
    }

    /** The Spring arguments that point the service's FCM provider here. */
    public List<String> properties() {
        return List.of("--tandem.push.fcm.project-id=" + PROJECT, "--tandem.push.fcm.credentials-file=" + credentials,
                "--tandem.push.fcm.base-url=" + baseUrl());
    }

    /** Access tokens handed out from now on live this many seconds. */
    public void expiresIn(long seconds) {
        expiresIn = seconds;
    }

    /** The access token handed out last is no longer accepted (as after a key rotation). */
    public void revokeToken() {
        issuedToken = "revoked";
    }

    /** Access tokens granted so far. */
    public int grants() {
        return grants.get();
    }

    /** Why grants were refused, in order. */
    public List<String> refusedGrants() {
        return new ArrayList<>(refusedGrants);
    }

    /** Every accepted request body ({@code {"message": ...}}), in order. */
    public List<JsonNode> sent() {
        return new ArrayList<>(sent);
    }

    /** Every accepted message, in order. */
    public List<Message> accepted() {
        List<Message> messages = new ArrayList<>();
        for (JsonNode body : sent) {
            JsonNode message = body.path("message");
            Map<String, String> data = new HashMap<>();
            message.path("data").fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
            messages.add(new Message(message.path("token").asText(),
                    message.path("android").path("collapse_key").asText(), data));
        }
        return messages;
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
        if (!claims.path("scope").asText().contains(SCOPE)) {
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

    @Override
    public void close() {
        server.stop(0);
    }
}
