package io.tandem.callback.push.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.callback.push.PushProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void signatureIsHmacSha256InLowerCaseHex() {
        // RFC 4231 §4.3, test case 2 (key "Jefe").
        assertThat(WebhookSignature.of("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII), "Jefe"))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
        PushProperties.Webhook properties = new PushProperties.Webhook(Map.of(), 6, Duration.ofMillis(500),
                Duration.ofSeconds(3), Duration.ofSeconds(5));
        WebhookPushProvider provider = new WebhookPushProvider(properties, Clock.systemUTC());

        assertThat(provider.backoffBefore(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(provider.backoffBefore(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(provider.backoffBefore(4)).isEqualTo(Duration.ofSeconds(2));
        assertThat(provider.backoffBefore(5)).isEqualTo(Duration.ofSeconds(3));
        assertThat(provider.backoffBefore(6)).isEqualTo(Duration.ofSeconds(3));
    }
}
