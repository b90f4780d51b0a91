package io.tandem.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipSecurityTest {

    @Test
    void theNodeListTurnsIntoAddressesForTheChosenTransport() {
        List<String> nodes = List.of("sip:10.0.0.1:5060", "sip:10.0.0.2:5070;transport=udp");
        assertThat(SipSecurity.plain().registrars(nodes)).containsExactly("sip:10.0.0.1:5060", "sip:10.0.0.2:5070");
        assertThat(new SipSecurity(SipTransport.TCP, 5061, null, SrtpUse.OFF).registrars(nodes))
                .containsExactly("sip:10.0.0.1:5060;transport=tcp", "sip:10.0.0.2:5070;transport=tcp");
        assertThat(new SipSecurity(SipTransport.TLS, 5071, Path.of("ca.pem"), SrtpUse.MANDATORY).registrars(nodes))
                .containsExactly("sip:10.0.0.1:5071;transport=tls", "sip:10.0.0.2:5071;transport=tls");
        assertThat(new SipSecurity(SipTransport.TLS, 5061, null, SrtpUse.OFF).registrar("sip:node-a.example.com"))
                .isEqualTo("sip:node-a.example.com:5061;transport=tls");
    }

    @Test
    void srtpIsRefusedWithoutTlsAndAPortMustBeAPort() {
        assertThatThrownBy(() -> new SipSecurity(SipTransport.UDP, 5061, null, SrtpUse.OPTIONAL))
                .hasMessage("SRTP needs the TLS transport: over udp its keys would cross the network in clear "
                        + "(RFC 4568 §8.3)");
        assertThatThrownBy(() -> new SipSecurity(SipTransport.TLS, 0, null, SrtpUse.OFF))
                .hasMessage("TLS port must be 1 to 65535, not 0");
    }

    @Test
    void choicesAreReadInAnyCaseAndAnythingElseIsNamed() {
        assertThat(SipTransport.parse(" TLS ")).isEqualTo(SipTransport.TLS);
        assertThat(SrtpUse.parse("Mandatory")).isEqualTo(SrtpUse.MANDATORY);
        assertThatThrownBy(() -> SipTransport.parse("sctp"))
                .hasMessage("transport must be udp, tcp or tls, not \"sctp\"");
        assertThatThrownBy(() -> SrtpUse.parse("yes"))
                .hasMessage("SRTP must be off, optional or mandatory, not \"yes\"");
    }
}
