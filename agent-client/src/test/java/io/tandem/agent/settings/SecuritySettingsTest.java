package io.tandem.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.SipTransport;
import io.tandem.agent.engine.SrtpUse;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SecuritySettingsTest {

    @Test
    void emptyValuesArePlainUdpAndWhatIsStoredReadsBack() {
        assertThat(SecuritySettings.parse("", "", "", "")).isEqualTo(SipSecurity.plain());
        SipSecurity tls = new SipSecurity(SipTransport.TLS, 5071, Path.of("/etc/tandem/ca.pem"), SrtpUse.MANDATORY);
        Properties p = new Properties();
        SecuritySettings.store(tls, p);
        assertThat(p).containsEntry("transport", "tls").containsEntry("tls-port", "5071")
                .containsEntry("trusted-certificates", "/etc/tandem/ca.pem").containsEntry("srtp", "mandatory");
        assertThat(SecuritySettings.parse(p.getProperty("transport"), p.getProperty("tls-port"),
                p.getProperty("trusted-certificates"), p.getProperty("srtp"))).isEqualTo(tls);
    }

    @Test
    void aPortThatIsNotOneIsNamed() {
        assertThatThrownBy(() -> SecuritySettings.tlsPort("50x1"))
                .hasMessage("TLS port must be a number from 1 to 65535, not \"50x1\"");
        assertThatThrownBy(() -> SecuritySettings.tlsPort("70000"))
                .hasMessage("TLS port must be a number from 1 to 65535, not \"70000\"");
        assertThat(SecuritySettings.tlsPort(" 5071 ")).isEqualTo(5071);
    }
}
