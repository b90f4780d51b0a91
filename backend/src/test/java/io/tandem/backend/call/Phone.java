package io.tandem.backend.call;

import io.tandem.backend.TestNode;
import io.tandem.telephony.sip.TlsSettings;
import io.tandem.telephony.testing.TestCertificates;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A {@link TestPhone} as an extension of the demo tenant on one {@link TestNode}. */
final class Phone extends TestPhone {

    final String extension;

    private Phone(String extension, String password, List<String> registrars, double speaks, double hears)
            throws IOException {
        this(extension, UserAgentConfig.of(extension, "127.0.0.1").withPassword(password).withRegistrars(registrars)
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30)), speaks, hears);
    }

    private Phone(String extension, UserAgentConfig config, double speaks, double hears) throws IOException {
        super(config, speaks, hears);
        this.extension = extension;
    }

    /**
     * A phone of {@code extension} whose SIP goes over TLS to {@code registrars} (trusting what {@code trustStore}
     * holds; its own certificate in {@code keyStore}), offering SDES SRTP when {@code srtp}. Not registered yet.
     */
    static Phone tls(String extension, List<String> registrars, Path keyStore, Path trustStore, boolean srtp,
            double speaks, double hears) throws IOException {
        UserAgentConfig config = UserAgentConfig.of(extension, "127.0.0.1").withPassword(TestNode.PASSWORD)
                .withRegistrars(registrars).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1))
                .withTls(TlsSettings.client(trustStore, TestCertificates.PASSWORD, keyStore,
                        TestCertificates.PASSWORD))
                .withSrtp(srtp);
        return new Phone(extension, config, speaks, hears);
    }

    /** A phone registered to {@code node}, speaking {@code speaks} Hz and listening for {@code hears} Hz. */
    static Phone registered(TestNode node, String extension, double speaks, double hears) throws Exception {
        Phone phone = new Phone(extension, TestNode.PASSWORD, List.of("sip:127.0.0.1:" + node.sipPort()), speaks,
                hears);
        phone.awaitRegistration(RegistrationState.REGISTERED);
        return phone;
    }

    /** A phone registered to {@code node} over TCP. */
    static Phone registeredTcp(TestNode node, String extension, double speaks, double hears) throws Exception {
        Phone phone = new Phone(extension, TestNode.PASSWORD,
                List.of("sip:127.0.0.1:" + node.sipPort() + ";transport=tcp"), speaks, hears);
        phone.awaitRegistration(RegistrationState.REGISTERED);
        return phone;
    }

    /** A phone that does not register (for callers with the wrong password). */
    static Phone unregistered(String extension, String password) throws IOException {
        return new Phone(extension, password, List.of(), 1000, 440);
    }

    /**
     * A carrier's caller: not registered, its packets leaving from {@code localAddress} (the address of a carrier
     * trunk the tenant configured), its From user {@code number}.
     */
    static Phone carrierCaller(String localAddress, String number, double speaks, double hears) throws IOException {
        UserAgentConfig c = UserAgentConfig.of(number, "127.0.0.1").withTimeouts(Duration.ofSeconds(3),
                Duration.ofSeconds(30));
        return new Phone(number, new UserAgentConfig(c.displayName(), c.user(), c.domain(), c.password(),
                c.registrars(), InetAddress.getByName(localAddress), c.sipPort(), c.rtpPortMin(), c.rtpPortMax(),
                c.codecs(), c.autoAnswer(), c.registerExpiry(), c.userAgent(), c.requestTimeout(),
                c.probeInterval()), speaks, hears);
    }

    @Override
    public Phone answering() {
        super.answering();
        return this;
    }

    @Override
    public Phone rejecting(int status) {
        super.rejecting(status);
        return this;
    }

    /** Calls {@code extension} through {@code node}. */
    Call dial(TestNode node, String extension) {
        return dial("sip:" + extension + "@127.0.0.1:" + node.sipPort());
    }
}
