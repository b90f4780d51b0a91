package io.tandem.agent.testing;

import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.peers.Await;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import io.tandem.telephony.ua.UserAgentListener;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A customer on a demo extension of a real node: telephony's user agent, registered with digest, dialling a queue
 * number through the node (the node answers, plays music, rings an agent and bridges). It speaks one tone and counts
 * the frames in which it hears another.
 */
public final class NodeCaller implements AutoCloseable, UserAgentListener {
    public final BlockingQueue<CallState> states = new LinkedBlockingQueue<>();
    public final ToneCount hears;
    private final UserAgent ua;

    /** Extension {@code extension} of the demo tenant, registered on {@code node}, listening for {@code listenHz}. */
    public NodeCaller(String extension, NodeProcess node, double listenHz) throws IOException {
        int rtp = FreePorts.alignedBlock(20);
        this.hears = new ToneCount(listenHz);
        this.ua = UserAgent.start(UserAgentConfig.of(extension, "127.0.0.1").withPassword(NodeProcess.PASSWORD)
                .withRegistrars(List.of(node.sipUri())).withRtpPorts(rtp, rtp + 19)
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30)), this);
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
        Call call = ua.call("sip:" + number + "@" + node.sipUri().substring("sip:".length()));
        call.setSource(new SineSource(sendHz, 8000));
        call.setSink(hears);
        return call;
    }

    public void awaitState(CallState state) throws InterruptedException {
        while (PhoneEvents.next(states, "caller state " + state) != state) {
            // earlier states pass by
        }
    }

    @Override
    public void onIncomingCall(Call call) {
        call.reject(486);
    }

    @Override
    public void onCallState(Call call, CallState state) {
        states.add(state);
    }

    @Override
    public void close() {
        ua.close();
    }
}
