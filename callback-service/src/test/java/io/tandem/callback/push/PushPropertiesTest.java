package io.tandem.callback.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class PushPropertiesTest {

    @Test
    void aProviderWithoutItsSectionIsAbsent() {
        PushProperties properties = bind(Map.of());

        assertThat(properties.apns()).isNull();
        assertThat(properties.fcm()).isNull();
        assertThat(properties.webhook()).isNull();
        assertThat(properties.ledgerCapacity()).isEqualTo(100_000);
    }

    @Test
    void aConfiguredProviderGetsTheDocumentedDefaults() {
        PushProperties properties = bind(Map.of(
                "tandem.push.apns.signing-key-file", "/etc/tandem/AuthKey_ABC.p8",
                "tandem.push.apns.team-id", "TEAM123456",
                "tandem.push.apns.key-id", "KEY1234567",
                "tandem.push.fcm.project-id", "acme",
                "tandem.push.fcm.credentials-file", "/etc/tandem/fcm.json",
                "tandem.push.webhook.targets.sms.url", "https://sms.example.com/push",
                "tandem.push.webhook.targets.sms.secret", "0123456789abcdef"));

        assertThat(properties.apns().host()).isEqualTo("api.push.apple.com");
        assertThat(properties.apns().port()).isEqualTo(443);
        assertThat(properties.apns().trustedCaFile()).isEmpty();
        assertThat(properties.fcm().baseUrl()).isEqualTo(URI.create("https://fcm.googleapis.com"));
        assertThat(properties.fcm().ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.webhook().maxAttempts()).isEqualTo(4);
        assertThat(properties.webhook().initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.webhook().targets().get("sms").url())
                .isEqualTo(URI.create("https://sms.example.com/push"));
        assertThat(properties.webhook().targets().get("sms").toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void badValuesNameTheProperty() {
        assertThatThrownBy(() -> bind(Map.of(
                "tandem.push.webhook.targets.sms.url", "https://sms.example.com/push",
                "tandem.push.webhook.targets.sms.secret", "short")))
                .hasRootCauseMessage("tandem.push.webhook.targets.*.secret must be at least 16 characters");
        assertThatThrownBy(() -> bind(Map.of(
                "tandem.push.webhook.targets.sms.url", "ftp://sms.example.com/push",
                "tandem.push.webhook.targets.sms.secret", "0123456789abcdef")))
                .rootCause().hasMessageContaining("must be http(s)");
        assertThatThrownBy(() -> bind(Map.of(
                "tandem.push.fcm.project-id", "acme",
                "tandem.push.fcm.credentials-file", "/etc/tandem/fcm.json",
                "tandem.push.fcm.ttl", "0s")))
                .rootCause().hasMessageContaining("tandem.push.fcm.ttl must be positive");
    }

    private static PushProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("tandem.push", PushProperties.class);
    }
}
