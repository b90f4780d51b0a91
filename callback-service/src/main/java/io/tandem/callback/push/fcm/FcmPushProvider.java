package io.tandem.callback.push.fcm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.push.PushNetwork;
import io.tandem.callback.push.PushOutcome;
import io.tandem.callback.push.PushProperties;
import io.tandem.callback.push.PushProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data pushes to Android devices through FCM HTTP v1 ({@code POST /v1/projects/{project}/messages:send}), with an
 * OAuth2 access token that google-auth-library gets from the service account's {@code token_uri} (JWT-bearer grant,
 * RFC 7523) and caches until shortly before it expires.
 *
 * <p>Outcomes (Firebase "FCM error codes" / {@code ErrorCode}): 200 accepted, with the message's {@code name};
 * {@code UNREGISTERED} or HTTP 404 is a dead token; 429 and 5xx failed (worth trying later); other 4xx refused.
 */
public final class FcmPushProvider implements PushProvider {

    /** The OAuth2 scope of FCM HTTP v1 (Firebase "Authorize send requests"). */
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private static final Logger log = LoggerFactory.getLogger(FcmPushProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NOT_FOUND = 404;
    private static final int TOO_MANY_REQUESTS = 429;
    /** Token fetches waiting for the one token thread; more than this and the push fails at once. */
    private static final int TOKEN_QUEUE = 1_000;

    private final PushProperties.Fcm properties;
    private final GoogleCredentials credentials;
    private final URI sendUri;
    private final HttpClient http;
    /** Getting a token may block on the token endpoint; it happens here, off the caller's thread. */
    private final ThreadPoolExecutor tokenThread;

    public FcmPushProvider(PushProperties.Fcm properties) {
        this.properties = properties;
        this.credentials = load(properties.credentialsFile());
        String base = properties.baseUrl().toString().replaceAll("/+$", "");
        this.sendUri = URI.create(base + "/v1/projects/" + properties.projectId() + "/messages:send");
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build();
        this.tokenThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(TOKEN_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "fcm-token");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private static GoogleCredentials load(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return ServiceAccountCredentials.fromStream(in).createScoped(List.of(SCOPE));
        } catch (IOException e) {
            throw new IllegalStateException("tandem.push.fcm.credentials-file: cannot read a service-account key from "
                    + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public PushNetwork network() {
        return PushNetwork.FCM;
    }

    @Override
    public CompletableFuture<PushOutcome> send(PushMessage message) {
        String pnParam = message.device().param();
        if (!pnParam.isEmpty() && !pnParam.equals(properties.projectId())) {
            // RFC 8599 §10.2: an FCM pn-param is the project id. A token of another project would only earn a
            // SENDER_ID_MISMATCH from FCM.
            return CompletableFuture.completedFuture(new PushOutcome.Refused("pn-param '" + pnParam
                    + "' is not this service's FCM project '" + properties.projectId() + "'"));
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(FcmMessage.of(message, properties.ttl()));
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new PushOutcome.Failed("payload: " + e.getMessage()));
        }
        CompletableFuture<String> token;
        try {
            token = CompletableFuture.supplyAsync(this::accessToken, tokenThread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new PushOutcome.Failed(
                    "more than " + TOKEN_QUEUE + " pushes waiting for an FCM access token"));
        }
        return token
                .thenCompose(bearer -> http.sendAsync(HttpRequest.newBuilder(sendUri)
                                .timeout(properties.requestTimeout())
                                .header("Authorization", "Bearer " + bearer)
                                .header("Content-Type", "application/json; charset=UTF-8")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .handle((response, failure) -> failure == null ? outcomeOf(response) : failed(failure));
    }

    /** The cached token, refreshed by the library when it is about to expire. */
    private String accessToken() {
        try {
            credentials.refreshIfExpired();
            return credentials.getAccessToken().getTokenValue();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "no OAuth2 token from the service account's token_uri: " + e.getMessage(), e);
        }
    }

    private static PushOutcome outcomeOf(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 200) {
            return new PushOutcome.Accepted(field(response.body(), "name").orElse(""));
        }
        String errorCode = errorCode(response.body());
        String reason = errorCode.isEmpty() ? "HTTP " + status : errorCode + " (HTTP " + status + ")";
        if ("UNREGISTERED".equals(errorCode) || status == NOT_FOUND) {
            return new PushOutcome.DeadToken(reason);
        }
        if (status == TOO_MANY_REQUESTS || status >= 500) {
            return new PushOutcome.Failed(reason);
        }
        return new PushOutcome.Refused(reason);
    }

    /**
     * The FCM error code of an error body: {@code error.details[@type=...FcmError].errorCode}, else the
     * {@code error.status} of the google.rpc.Status; empty when the body is not that shape.
     */
    static String errorCode(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            for (JsonNode detail : error.path("details")) {
                if (detail.path("@type").asText().endsWith("google.firebase.fcm.v1.FcmError")) {
                    return detail.path("errorCode").asText();
                }
            }
            return error.path("status").asText();
        } catch (JsonProcessingException e) {
            log.warn("FCM error body is not JSON: {}", body.length() > 200 ? body.substring(0, 200) : body);
            return "";
        }
    }

    private static Optional<String> field(String body, String name) {
        try {
            JsonNode value = JSON.readTree(body).path(name);
            return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            log.warn("FCM answered 200 with a body that is not JSON");
            return Optional.empty();
        }
    }

    private static PushOutcome failed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return new PushOutcome.Failed(cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    @Override
    public void close() {
        tokenThread.shutdownNow();
    }
}
