package io.tandem.agent.testing;

import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A customer on a demo extension of a real node: a {@link TestPhone} registered with digest, dialling a queue number
 * through the node (the node answers, plays music, rings an agent and bridges). It speaks one tone and counts the
 * frames in which it hears another.
 */
public final class NodeCaller extends TestPhone {

    /** Extension {@code extension} of the demo tenant, registered on {@code node}, listening for {@code listenHz}. */
    public NodeCaller(String extension, NodeProcess node, double listenHz) throws IOException {
        super(UserAgentConfig.of(extension, "127.0.0.1").withPassword(NodeProcess.PASSWORD)
                .withRegistrars(List.of(node.sipUri())).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30)),
                0, listenHz);
        rejecting(486);
        try {
            Await.until(extension + " registered on " + node.id(), Duration.ofSeconds(60),
                    () -> ua.registrationState() == RegistrationState.REGISTERED);
        } catch (AssertionError e) {
            ua.close();
            throw e;
        }
    }

    /** Dials {@code number} at {@code node}, sending a {@code sendHz} tone. */
    public Call dial(NodeProcess node, String number, double sendHz) {
        speaking(sendHz);
        return dial("sip:" + number + "@" + node.sipUri().substring("sip:".length()));
    }
}
