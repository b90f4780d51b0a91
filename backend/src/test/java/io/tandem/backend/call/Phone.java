package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.SineSource;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Our own user agent as a phone of a test: registered to one node as an extension of the demo tenant, playing a
 * tone into every call and counting the frames of the tone it expects to hear (Goertzel).
 */
final class Phone implements UserAgentListener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    record StateChange(Call call, CallState state) {
    }

    final String extension;
    final UserAgent ua;
    final BlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
    final BlockingQueue<StateChange> states = new LinkedBlockingQueue<>();
    final BlockingQueue<MediaDirection> directions = new LinkedBlockingQueue<>();
    final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> transferProgress = new LinkedBlockingQueue<>();
    final BlockingQueue<RegistrationState> registrations = new LinkedBlockingQueue<>();
    final Ear ear;
    private final double speaks;
    private volatile Consumer<Call> onIncoming = c -> { };

    private Phone(String extension, String password, List<String> registrars, double speaks, double hears)
            throws IOException {
        this.extension = extension;
        this.speaks = speaks;
        this.ear = new Ear(hears);
        int rtp = FreePorts.alignedBlock(20);
        UserAgentConfig config = UserAgentConfig.of(extension, "127.0.0.1").withPassword(password)
                .withRegistrars(registrars).withRtpPorts(rtp, rtp + 19)
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30));
        this.ua = UserAgent.start(config, this);
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

    Phone answering() {
        onIncoming = Call::answer;
        return this;
    }

    Phone rejecting(int status) {
        onIncoming = c -> c.reject(status);
        return this;
    }

    /** Calls {@code extension} through {@code node}. */
    Call dial(TestNode node, String extension) {
        Call call = ua.call("sip:" + extension + "@127.0.0.1:" + node.sipPort());
        call.setSource(new SineSource(speaks, 8000));
        call.setSink(ear);
        return call;
    }

    @Override
    public void onRegistration(RegistrationState state, String registrar, int status) {
        registrations.add(state);
    }

    @Override
    public void onIncomingCall(Call call) {
        call.setSource(new SineSource(speaks, 8000));
        call.setSink(ear);
        incoming.add(call);
        onIncoming.accept(call);
    }

    @Override
    public void onCallState(Call call, CallState state) {
        states.add(new StateChange(call, state));
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
    public void onTransferProgress(Call call, int status) {
        transferProgress.add(status);
    }

    static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        T value = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(value).as("waiting for " + what).isNotNull();
        return value;
    }

    /** Waits until {@code call} reaches {@code state}, skipping other events. */
    void awaitState(Call call, CallState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            StateChange change = states.poll(100, TimeUnit.MILLISECONDS);
            if (change != null && change.call() == call && change.state() == state) {
                return;
            }
        }
        throw new AssertionError(extension + ": call " + call + " never reached " + state + " (now "
                + call.state() + ", status " + call.endStatus() + ")");
    }

    void awaitRegistration(RegistrationState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            RegistrationState r = registrations.poll(100, TimeUnit.MILLISECONDS);
            if (r == state) {
                return;
            }
        }
        throw new AssertionError(extension + " never reached " + state);
    }

    @Override
    public void close() {
        ua.close();
    }

    /** Counts frames in which one frequency dominates. */
    static final class Ear implements MediaSink {
        private final double frequency;
        private final AtomicLong toneFrames = new AtomicLong();

        Ear(double frequency) {
            this.frequency = frequency;
        }

        @Override
        public void write(short[] frame) {
            if (Goertzel.toneRatio(frame, 0, AudioFrames.SAMPLES_PER_FRAME, frequency, AudioFrames.SAMPLE_RATE)
                    > 0.5) {
                toneFrames.incrementAndGet();
            }
        }

        long toneFrames() {
            return toneFrames.get();
        }
    }
}
