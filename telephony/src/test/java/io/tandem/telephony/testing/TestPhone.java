package io.tandem.telephony.testing;

import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;

import java.io.IOException;
import java.util.Map;

/**
 * Our own user agent as a phone of a test, on its own block of free RTP ports: it plays a tone into every call it
 * places or takes, counts the frames of the tone it expects to hear (Goertzel) in its {@link #ear}, and records every
 * event as a {@link RecordingListener}. A module extends it for its own way of reaching the phone (a backend node's
 * extension, a softphone's far end).
 */
public class TestPhone extends RecordingListener implements AutoCloseable {
    /** Media ports per phone: plenty for the few calls a test places at once. */
    private static final int RTP_PORTS = 20;

    public final UserAgent ua;
    private final int rtp;
    public final ToneCount ear;
    private volatile double speaks;

    /**
     * Starts a user agent of {@code config} (its RTP ports replaced by a free block) with this phone as its listener.
     * The user agent may call back before a subclass's constructor has finished, so subclasses keep no state the
     * callbacks need.
     */
    protected TestPhone(UserAgentConfig config, double speaks, double hears) throws IOException {
        this.speaks = speaks;
        this.ear = new ToneCount(hears);
        int rtp = FreePorts.alignedBlock(RTP_PORTS);
        this.rtp = rtp;
        this.ua = UserAgent.start(config.withRtpPorts(rtp, rtp + RTP_PORTS - 1), this);
    }

    /** A phone of {@code config} speaking {@code speaks} Hz and listening for {@code hears} Hz. */
    public static TestPhone start(UserAgentConfig config, double speaks, double hears) throws IOException {
        return new TestPhone(config, speaks, hears);
    }

    /** The tone this phone plays into the calls it places or takes from now on. */
    public TestPhone speaking(double hz) {
        speaks = hz;
        return this;
    }

    /** Calls {@code uri}, playing this phone's tone and listening with its ear. */
    public Call dial(String uri) {
        Call call = ua.call(uri);
        connectMedia(call);
        return call;
    }

    /** The first of this phone's RTP ports (a block of {@value #RTP_PORTS}). */
    public int rtpPortMin() {
        return rtp;
    }

    /** Calls {@code uri} with extra headers on the INVITE (Replaces, Session-Expires), with tone and ear. */
    public Call dial(String uri, Map<String, String> headers) {
        Call call = ua.call(uri, headers);
        connectMedia(call);
        return call;
    }

    /** A URI that reaches this user agent directly, without a registrar. */
    public String uri() {
        return ua.contactUri("udp");
    }

    @Override
    public void onIncomingCall(Call call) {
        connectMedia(call); // before the recorded action, which may answer at once
        super.onIncomingCall(call);
    }

    private void connectMedia(Call call) {
        call.setSource(new SineSource(speaks, 8000));
        call.setSink(ear);
    }

    @Override
    public void close() {
        ua.close();
        FreePorts.release(rtp, RTP_PORTS);
    }
}
