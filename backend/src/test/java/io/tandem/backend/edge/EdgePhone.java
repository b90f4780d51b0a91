package io.tandem.backend.edge;

import io.tandem.backend.TestNode;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A phone on the internet side of the edge (our own user agent): its only registrar and the address it dials is
 * the edge. It speaks one tone into every call and counts the frames in which it hears the tone it expects.
 */
final class EdgePhone implements UserAgentListener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final int RTP_PORTS = 20;

    final String extension;
    final UserAgent ua;
    private final int rtp;
    private final double speaks;
    private final double hears;
    private final BlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
    private final AtomicLong toneFrames = new AtomicLong();

    private EdgePhone(String extension, EdgeProcess edge, double speaks, double hears) throws IOException {
        this.extension = extension;
        this.speaks = speaks;
        this.hears = hears;
        this.rtp = FreePorts.alignedBlock(RTP_PORTS);
        // The phone's domain is the edge's address: the edge serves it, the nodes map it to the demo tenant.
        UserAgentConfig config = UserAgentConfig.of(extension, EdgeProcess.ADDRESS).withPassword(TestNode.PASSWORD)
                .withRegistrars(List.of(edge.uri())).withRtpPorts(rtp, rtp + RTP_PORTS - 1)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
        this.ua = UserAgent.start(config, this);
    }

    /** A phone registered through {@code edge}. */
    static EdgePhone register(EdgeProcess edge, String extension, double speaks, double hears)
            throws IOException {
        EdgePhone phone = new EdgePhone(extension, edge, speaks, hears);
        Await.until(extension + " registers through the edge", WAIT,
                () -> phone.ua.registrationState() == RegistrationState.REGISTERED, edge::logTail);
        return phone;
    }

    /** Dials {@code extension} at the edge. */
    Call dial(EdgeProcess edge, String extension) {
        Call call = ua.call("sip:" + extension + "@" + EdgeProcess.ADDRESS + ":" + edge.port());
        attach(call);
        return call;
    }

    Call nextIncoming() throws InterruptedException {
        Call call = incoming.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (call == null) {
            throw new AssertionError(extension + " never rang");
        }
        return call;
    }

    long toneFrames() {
        return toneFrames.get();
    }

    /** Waits until {@code call} is in {@code state}. */
    void awaitState(Call call, CallState state) {
        Await.until(extension + "'s call " + call + " reaches " + state, WAIT, () -> call.state() == state,
                () -> "now " + call.state() + ", status " + call.endStatus());
    }

    private void attach(Call call) {
        call.setSource(new SineSource(speaks, 8000));
        call.setSink(this::hear);
    }

    /** Media thread: counts a frame in which the expected tone dominates. */
    private void hear(short[] frame) {
        int n = AudioFrames.SAMPLES_PER_FRAME;
        if (Goertzel.toneRatio(frame, 0, n, hears, AudioFrames.SAMPLE_RATE) > 0.5) {
            toneFrames.incrementAndGet();
        }
    }

    @Override
    public void onIncomingCall(Call call) {
        attach(call);
        incoming.add(call);
    }

    @Override
    public void close() {
        ua.close();
        FreePorts.release(rtp, RTP_PORTS);
    }
}
