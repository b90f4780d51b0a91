package io.tandem.callback.e2e;

import io.tandem.callback.MockApns;
import io.tandem.callback.MockFcm;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.PushParameters;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * An agent's mobile app on one device, as the mobile-app page describes it: it REGISTERs as its extension with RFC
 * 8599 push parameters ({@code pn-provider=apns}, its device token, {@code TEAMID.bundle.voip}; or {@code fcm}, its
 * registration token, the Firebase project; or {@code webhook} and a target's name) and its {@code +sip.instance},
 * then goes to sleep (REGISTER with expires 0: the SIP binding goes, the push binding stays) and is silent until a
 * push reaches its token; woken, it REGISTERs again from a fresh user agent and answers what rings. The user agent
 * is our own (telephony's), playing one tone and counting another.
 */
final class AgentApp {
    /** The push network the app registers for (RFC 8599 {@code pn-provider}). */
    enum Network { APNS, FCM, WEBHOOK }

    /** The webhook target every WEBHOOK app names: a gateway that is down (see CallbackCluster). */
    static final String GATEWAY_DOWN = "gateway-down";

    static final Duration REGISTER = Duration.ofSeconds(60);

    final String extension;
    /** The device's push token (APNs: hex; FCM: the registration token; a webhook: the target's name). */
    final String token;
    private final NodeProcess node;
    private final Network network;
    private final String instance;

    /** An iPhone app: APNs VoIP pushes. */
    AgentApp(String extension, NodeProcess node) {
        this(extension, node, Network.APNS);
    }

    AgentApp(String extension, NodeProcess node, Network network) {
        this.extension = extension;
        this.node = node;
        this.network = network;
        this.token = switch (network) {
            case APNS -> tokenOf(extension);
            case FCM -> "fcm-" + extension + ":registration-token";
            case WEBHOOK -> GATEWAY_DOWN;
        };
        this.instance = "urn:uuid:00000000-0000-4000-8000-" + String.format("%012d", Long.parseLong(extension));
    }

    /** The APNs token of {@code extension}'s device: 32 bytes in hex, as APNs hands them out, one per device. */
    static String tokenOf(String extension) {
        return HexFormat.of().formatHex((extension + "-device-token-of-the-e2e-tests!")
                .getBytes(StandardCharsets.UTF_8)).substring(0, 64);
    }

    private UserAgentConfig config() {
        return UserAgentConfig.of(extension, "127.0.0.1").withPassword(NodeProcess.PASSWORD)
                .withRegistrars(List.of(node.sipUri())).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30))
                .withPush(switch (network) {
                    case APNS -> new PushParameters("apns", token, MockApns.PN_PARAM, instance);
                    case FCM -> new PushParameters("fcm", token, MockFcm.PROJECT, instance);
                    case WEBHOOK -> new PushParameters("webhook", token, "", instance);
                });
    }

    /** Registers with the push parameters, then sleeps: afterwards only a push can reach this device. */
    void installAndSleep() throws Exception {
        // Closing the phone sends REGISTER expires 0 (and waits for its answer): the app went to the background.
        register(0, 0, false).close();
    }

    /** Woken by its push: registers again, speaking {@code speaks} Hz, listening for {@code hears}, answering. */
    TestPhone wake(double speaks, double hears) throws Exception {
        return register(speaks, hears, true);
    }

    private TestPhone register(double speaks, double hears, boolean answering) throws IOException {
        TestPhone app = TestPhone.start(config(), speaks, hears);
        if (answering) {
            app.answering(); // long before anything can ring: the REGISTER's answer is still on its way
        }
        try {
            Await.until(extension + "'s app registered", REGISTER,
                    () -> app.ua.registrationState() == RegistrationState.REGISTERED);
        } catch (AssertionError e) {
            app.close();
            throw e;
        }
        return app;
    }
}
