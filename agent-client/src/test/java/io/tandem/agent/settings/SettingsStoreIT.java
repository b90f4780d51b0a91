package io.tandem.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.SipTransport;
import io.tandem.agent.engine.SrtpUse;
import io.tandem.agent.engine.TrustedCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings file on disk: what the window saves, and what it leaves of the keys set by hand. */
class SettingsStoreIT {
    @TempDir
    Path dir;

    @Test
    void savingKeepsTheEngineChosenByHand() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "engine=java\nagent-id=1001\n", StandardCharsets.UTF_8);

        store.save(store.load().withLogin("http://10.0.0.1:8080", "demo", "1002"));

        String saved = Files.readString(store.file(), StandardCharsets.UTF_8);
        assertThat(saved).contains("engine=java").contains("agent-id=1002");
        assertThat(store.load().agentId()).isEqualTo("1002");
    }

    @Test
    void theConnectionIsSavedAndABadValueSetByHandLeavesThePhoneOnPlainUdp() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        SipSecurity tls = new SipSecurity(SipTransport.TLS, 5071, dir.resolve("ca.pem"), SrtpUse.MANDATORY);
        store.save(store.load().withSecurity(tls));
        assertThat(store.load().security()).isEqualTo(tls);

        String saved = Files.readString(store.file(), StandardCharsets.UTF_8);
        Files.writeString(store.file(), saved.replace("transport=tls", "transport=sctp"), StandardCharsets.UTF_8);
        assertThat(store.load().security()).isEqualTo(SipSecurity.plain());
    }

    @Test
    void aTrustFileMustHoldPemCertificates() throws Exception {
        Path key = Files.writeString(dir.resolve("node.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n",
                StandardCharsets.US_ASCII);
        assertThat(TrustedCertificates.problem(key))
                .isEqualTo("node.key is not a PEM certificate file (no BEGIN CERTIFICATE line)");
        assertThat(TrustedCertificates.problem(dir.resolve("missing.pem")))
                .isEqualTo("No certificate file at " + dir.resolve("missing.pem"));
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n",
                StandardCharsets.US_ASCII);
        assertThat(TrustedCertificates.problem(broken)).startsWith("broken.pem holds a certificate that cannot be read");
    }
}
