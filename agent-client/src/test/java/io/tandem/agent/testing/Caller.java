package io.tandem.agent.testing;

import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import io.tandem.telephony.ua.UserAgentListener;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The far end: telephony's own user agent on loopback, sending a tone and listening for another. */
public final class Caller implements AutoCloseable, UserAgentListener {
    public final BlockingQueue<CallState> states = new LinkedBlockingQueue<>();
    public final BlockingQueue<MediaDirection> directions = new LinkedBlockingQueue<>();
    public final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();
    public final ToneCount hears;
    private final UserAgent ua;
    private volatile double answerWithHz;

    /** A caller {@code user} that will send {@code sendHz} and counts frames of {@code listenHz}. */
    public Caller(String user, double listenHz) throws IOException {
        int rtp = FreePorts.alignedBlock(20);
        this.hears = new ToneCount(listenHz);
        this.ua = UserAgent.start(UserAgentConfig.of(user, "tandem.test").withRtpPorts(rtp, rtp + 19)
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1)), this);
    }

    /** Calls {@code uri} sending a {@code sendHz} tone. */
    public Call call(String uri, double sendHz) {
        Call call = ua.call(uri);
        call.setSource(new SineSource(sendHz, 8000));
        call.setSink(hears);
        return call;
    }

    /** Answers incoming calls at once, sending {@code sendHz}. */
    public Caller answering(double sendHz) {
        answerWithHz = sendHz;
        return this;
    }

    /** A URI that reaches this user agent directly. */
    public String uri() {
        return ua.contactUri("udp");
    }

    @Override
    public void onIncomingCall(Call call) {
        if (answerWithHz > 0) {
            call.setSource(new SineSource(answerWithHz, 8000));
            call.setSink(hears);
            call.answer();
        } else {
            call.reject(486);
        }
    }

    public void awaitState(CallState state) throws InterruptedException {
        while (PhoneEvents.next(states, "caller state " + state) != state) {
            // earlier states pass by
        }
    }

    @Override
    public void onCallState(Call call, CallState state) {
        states.add(state);
    }

    @Override
    public void onMediaDirection(Call call, MediaDirection direction) {
        directions.add(direction);
    }

    @Override
    public void onDtmf(Call call, char digit) {
        digits.add(digit);
    }

    @Override
    public void close() {
        ua.close();
    }
}
