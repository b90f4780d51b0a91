package io.tandem.agent.testing;

import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.UserAgentConfig;
import java.io.IOException;
import java.time.Duration;

/** The far end: a {@link TestPhone} on loopback that rejects calls (486) unless told to answer them. */
public final class Caller extends TestPhone {

    /** A caller {@code user} that counts frames of {@code listenHz}. */
    public Caller(String user, double listenHz) throws IOException {
        super(UserAgentConfig.of(user, "tandem.test").withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1)),
                0, listenHz);
        rejecting(486);
    }

    /** Calls {@code uri} sending a {@code sendHz} tone. */
    public Call call(String uri, double sendHz) {
        speaking(sendHz);
        return dial(uri);
    }

    /** Answers incoming calls at once, sending {@code sendHz}. */
    public Caller answering(double sendHz) {
        speaking(sendHz);
        answering();
        return this;
    }
}
