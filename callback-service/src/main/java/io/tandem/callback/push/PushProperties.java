package io.tandem.callback.push;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Pushes ({@code tandem.push.*}). A provider whose section is absent is not configured: pushes to its network are
 * refused with "provider not configured". Secrets (the .p8 key, the service-account JSON, webhook secrets) are read
 * from the files and properties named here, never from code.
 *
 * @param ledgerCapacity pushes remembered for idempotency by the in-memory ledger; the oldest is forgotten past this
 * @param apns           Apple Push Notification service, token authentication; absent = not configured
 * @param fcm            Firebase Cloud Messaging HTTP v1; absent = not configured
 * @param webhook        Tandem's own webhook pushes; absent = not configured
 */
@Validated
@ConfigurationProperties("tandem.push")
public record PushProperties(
        @DefaultValue("100000") @Min(1) @Max(10_000_000) int ledgerCapacity,
        @Valid Apns apns,
        @Valid Fcm fcm,
        @Valid Webhook webhook) {

    /**
     * APNs over HTTP/2 with a provider authentication token (Apple, "Establishing a token-based connection to APNs").
     *
     * @param host              {@code api.push.apple.com}, or {@code api.sandbox.push.apple.com} for development builds
     * @param port              443, or 2197 where 443 is blocked (Apple allows both)
     * @param signingKeyFile    the {@code AuthKey_<keyid>.p8} file (PKCS#8, EC P-256) downloaded from Apple
     * @param teamId            the 10-character Team ID that issued the key
     * @param keyId             the 10-character Key ID of the signing key
     * @param trustedCaFile     PEM file of the CA to trust for the APNs server instead of the JVM's (tests, proxies);
     *                          empty = the JVM's trust store
     * @param connectTimeout    TCP + TLS connect timeout
     * @param sendTimeout       a push without an answer after this is failed
     * @param connections       HTTP/2 connections to APNs, each on its own I/O thread: a room's pushes and many rooms
     *                          at once are spread over them (Apple allows several connections per provider)
     */
    public record Apns(
            @DefaultValue("api.push.apple.com") @NotBlank String host,
            @DefaultValue("443") @Min(1) @Max(65535) int port,
            @NotBlank String signingKeyFile,
            @NotBlank String teamId,
            @NotBlank String keyId,
            @DefaultValue("") String trustedCaFile,
            @DefaultValue("10s") @NotNull Duration connectTimeout,
            @DefaultValue("10s") @NotNull Duration sendTimeout,
            @DefaultValue("4") @Min(1) @Max(32) int connections) {

        public Apns {
            requirePositive("tandem.push.apns.connect-timeout", connectTimeout);
            requirePositive("tandem.push.apns.send-timeout", sendTimeout);
        }
    }

    /**
     * FCM HTTP v1 ({@code POST /v1/projects/{project}/messages:send}, Firebase "Send messages" reference) with an
     * OAuth2 token from a service account (scope {@code https://www.googleapis.com/auth/firebase.messaging}).
     *
     * @param projectId       the Firebase project id
     * @param credentialsFile the service-account JSON key; its {@code token_uri} is where tokens are fetched
     * @param baseUrl         the FCM endpoint
     * @param ttl             the Android message's {@code ttl}: a ring older than this is worthless
     * @param requestTimeout  a send without an answer after this is failed
     */
    public record Fcm(
            @NotBlank String projectId,
            @NotBlank String credentialsFile,
            @DefaultValue("https://fcm.googleapis.com") @NotNull URI baseUrl,
            @DefaultValue("30s") @NotNull Duration ttl,
            @DefaultValue("10s") @NotNull Duration requestTimeout) {

        public Fcm {
            requirePositive("tandem.push.fcm.ttl", ttl);
            requirePositive("tandem.push.fcm.request-timeout", requestTimeout);
        }
    }

    /**
     * Webhooks: {@code pn-prid} names one of the {@code targets}. Each POST is signed with the target's secret.
     *
     * @param targets        named receivers ({@code tandem.push.webhook.targets.<name>.url} / {@code .secret})
     * @param maxAttempts    attempts per push, the first included, on 5xx or connection failure (4xx is final)
     * @param initialBackoff wait before the second attempt; doubled before each further one
     * @param maxBackoff     the longest wait between attempts
     * @param requestTimeout one attempt without an answer after this counts as a connection failure
     */
    public record Webhook(
            @NotNull Map<String, @Valid Target> targets,
            @DefaultValue("4") @Min(1) @Max(10) int maxAttempts,
            @DefaultValue("500ms") @NotNull Duration initialBackoff,
            @DefaultValue("8s") @NotNull Duration maxBackoff,
            @DefaultValue("5s") @NotNull Duration requestTimeout) {

        public Webhook {
            targets = targets == null ? Map.of() : Map.copyOf(targets);
            requirePositive("tandem.push.webhook.initial-backoff", initialBackoff);
            requirePositive("tandem.push.webhook.max-backoff", maxBackoff);
            requirePositive("tandem.push.webhook.request-timeout", requestTimeout);
        }

        /**
         * One receiver.
         *
         * @param url    where the POST goes (http or https)
         * @param secret the HMAC-SHA256 key of {@code X-Tandem-Signature}; at least 16 characters
         */
        public record Target(@NotNull URI url, @NotBlank String secret) {

            public Target {
                if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                    throw new IllegalArgumentException("tandem.push.webhook.targets.*.url must be http(s): " + url);
                }
                if (secret != null && secret.length() < 16) {
                    throw new IllegalArgumentException(
                            "tandem.push.webhook.targets.*.secret must be at least 16 characters");
                }
            }

            @Override
            public String toString() {
                return "Target[url=" + url + ", secret=***]";
            }
        }
    }

    private static void requirePositive(String property, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(property + " must be positive (got " + value + ")");
        }
    }
}
