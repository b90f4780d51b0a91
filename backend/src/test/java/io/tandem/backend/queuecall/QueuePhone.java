package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.testing.Await;
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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A phone of a queue test (our own user agent): an agent registered to one node, or a caller that dials a queue
 * with digest credentials. It speaks one tone into every call and, per call, counts the frames in which it hears
 * the tone it expects and the frames that carry any sound at all (music on hold).
 */
final class QueuePhone implements UserAgentListener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    final String extension;
    final UserAgent ua;
    /** RTP ports of one phone: two per call, for the few calls a queue test's phone has at once. */
    private static final int RTP_PORTS = 40;
    private final int rtp;
    final BlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
    private final Map<Call, Ear> ears = new ConcurrentHashMap<>();
    private final Map<Call, BlockingQueue<CallState>> states = new ConcurrentHashMap<>();
    private final double speaks;
    private final double hears;
    private volatile Consumer<Call> onIncoming = c -> { };

    private QueuePhone(String extension, List<String> registrars, double speaks, double hears) throws IOException {
        this(extension, registrars, speaks, hears, java.net.InetAddress.getLoopbackAddress(), Duration.ofSeconds(3),
                Duration.ofSeconds(30));
    }

    private QueuePhone(String extension, List<String> registrars, double speaks, double hears,
            java.net.InetAddress local) throws IOException {
        this(extension, registrars, speaks, hears, local, Duration.ofSeconds(3), Duration.ofSeconds(30));
    }

    private QueuePhone(String extension, List<String> registrars, double speaks, double hears,
            java.net.InetAddress local, Duration requestTimeout, Duration probeInterval) throws IOException {
        this(extension, null, registrars, speaks, hears, local, requestTimeout, probeInterval);
    }

    private QueuePhone(String extension, String displayName, List<String> registrars, double speaks, double hears,
            java.net.InetAddress local, Duration requestTimeout, Duration probeInterval) throws IOException {
        this.extension = extension;
        this.speaks = speaks;
        this.hears = hears;
        int rtp = FreePorts.alignedBlock(RTP_PORTS);
        this.rtp = rtp;
        UserAgentConfig c = UserAgentConfig.of(extension, "127.0.0.1").withPassword(TestNode.PASSWORD)
                .withRegistrars(registrars).withRtpPorts(rtp, rtp + RTP_PORTS - 1)
                .withTimeouts(requestTimeout, probeInterval);
        UserAgentConfig config = new UserAgentConfig(displayName == null ? c.displayName() : displayName, c.user(),
                c.domain(), c.password(),
                c.registrars(), local, c.sipPort(), c.rtpPortMin(), c.rtpPortMax(), c.codecs(), c.autoAnswer(),
                c.registerExpiry(), c.userAgent(), c.requestTimeout(), c.probeInterval());
        this.ua = UserAgent.start(config, this);
    }

    /** An agent's phone registered to {@code node}. */
    static QueuePhone agent(TestNode node, String extension, double speaks, double hears) throws Exception {
        QueuePhone phone = new QueuePhone(extension, List.of("sip:127.0.0.1:" + node.sipPort()), speaks, hears);
        Await.until(extension + " registers", WAIT,
                () -> phone.ua.registrationState() == RegistrationState.REGISTERED);
        return phone;
    }

    /**
     * A phone that starts registering to {@code node} and does not wait for the answer: it waits up to
     * {@code requestTimeout} for one, and after a refusal (503) tries again every {@code retry}. For tests that watch
     * when a REGISTER succeeds again after an outage.
     */
    static QueuePhone registering(TestNode node, String extension, Duration requestTimeout, Duration retry)
            throws IOException {
        return new QueuePhone(extension, List.of("sip:127.0.0.1:" + node.sipPort()), 1000, 440,
                java.net.InetAddress.getLoopbackAddress(), requestTimeout, retry);
    }

    /** A caller (not registered: it only dials, answering the node's 407 with its credentials). */
    static QueuePhone caller(String extension, double speaks, double hears) throws IOException {
        return new QueuePhone(extension, List.of(), speaks, hears);
    }

    /** A caller whose From header carries {@code displayName}. */
    static QueuePhone caller(String extension, String displayName, double speaks, double hears) throws IOException {
        return new QueuePhone(extension, displayName, List.of(), speaks, hears,
                java.net.InetAddress.getLoopbackAddress(), Duration.ofSeconds(3), Duration.ofSeconds(30));
    }

    /** A caller whose packets leave from another loopback address (127.0.0.2: a "proxy" a node may trust). */
    static QueuePhone callerFrom(String localAddress, String extension, double speaks, double hears)
            throws IOException {
        return new QueuePhone(extension, List.of(), speaks, hears, java.net.InetAddress.getByName(localAddress));
    }

    QueuePhone onIncoming(Consumer<Call> action) {
        onIncoming = action;
        return this;
    }

    Call dial(TestNode node, String number) {
        return dial(node, number, Map.of());
    }

    /** Dials with extra INVITE headers (what an IVR or Kamailio in front would add). */
    Call dial(TestNode node, String number, Map<String, String> headers) {
        Call call = ua.call("sip:" + number + "@127.0.0.1:" + node.sipPort(), headers);
        attach(call);
        return call;
    }

    private void attach(Call call) {
        Ear ear = ears.computeIfAbsent(call, c -> new Ear(hears));
        call.setSource(new SineSource(speaks, 8000));
        call.setSink(ear);
    }

    Ear ear(Call call) {
        return ears.computeIfAbsent(call, c -> new Ear(hears));
    }

    @Override
    public void onIncomingCall(Call call) {
        attach(call);
        incoming.add(call);
        onIncoming.accept(call);
    }

    /** The statuses of the NOTIFYs of this phone's transfers (RFC 3515 sipfrag, or the REFER's refusal), in order. */
    final BlockingQueue<Integer> transferProgress = new LinkedBlockingQueue<>();

    @Override
    public void onTransferProgress(Call call, int status) {
        transferProgress.add(status);
    }

    /** The next transfer status, or a failure naming {@code what} after {@link #WAIT}. */
    int nextTransferStatus(String what) throws InterruptedException {
        Integer status = transferProgress.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(status).as(extension + ": " + what).isNotNull();
        return status;
    }

    /** RFC 4733 (or SIP INFO) digits this phone received, in order. */
    final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();

    @Override
    public void onDtmf(Call call, char digit) {
        digits.add(digit);
    }

    @Override
    public void onCallState(Call call, CallState state) {
        states.computeIfAbsent(call, c -> new LinkedBlockingQueue<>()).add(state);
    }

    /** Waits until {@code call} reaches {@code state}. */
    void awaitState(Call call, CallState state) throws InterruptedException {
        BlockingQueue<CallState> queue = states.computeIfAbsent(call, c -> new LinkedBlockingQueue<>());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (call.state() == state) {
                return;
            }
            CallState next = queue.poll(100, TimeUnit.MILLISECONDS);
            if (next == state) {
                return;
            }
        }
        throw new AssertionError(extension + ": call " + call + " never reached " + state + " (now " + call.state()
                + ", status " + call.endStatus() + ")");
    }

    Call nextIncoming() throws InterruptedException {
        Call call = incoming.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(call).as(extension + " rings").isNotNull();
        return call;
    }

    @Override
    public void close() {
        ua.close();
        FreePorts.release(rtp, RTP_PORTS);
    }

    /** Counts frames in which one frequency dominates, and frames with any sound (RMS above a whisper). */
    static final class Ear implements MediaSink {
        private static final double SOUND_RMS = 200;
        private final double frequency;
        private final AtomicLong toneFrames = new AtomicLong();
        private final AtomicLong soundFrames = new AtomicLong();

        Ear(double frequency) {
            this.frequency = frequency;
        }

        @Override
        public void write(short[] frame) {
            int n = AudioFrames.SAMPLES_PER_FRAME;
            double energy = Goertzel.energy(frame, 0, n);
            if (Math.sqrt(energy / n) > SOUND_RMS) {
                soundFrames.incrementAndGet();
            }
            if (Goertzel.toneRatio(frame, 0, n, frequency, AudioFrames.SAMPLE_RATE) > 0.5) {
                toneFrames.incrementAndGet();
            }
        }

        long toneFrames() {
            return toneFrames.get();
        }

        long soundFrames() {
            return soundFrames.get();
        }
    }
}
