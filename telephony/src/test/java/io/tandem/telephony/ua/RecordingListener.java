package io.tandem.telephony.ua;

import io.tandem.telephony.media.MediaDirection;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Records every user agent event in order, so tests wait for exactly what they expect. */
final class RecordingListener implements UserAgentListener {
    static final Duration WAIT = Duration.ofSeconds(20);

    record Registration(RegistrationState state, String registrar, int status) {
    }

    record StateChange(Call call, CallState state) {
    }

    final BlockingQueue<Registration> registrations = new LinkedBlockingQueue<>();
    final BlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
    final BlockingQueue<StateChange> states = new LinkedBlockingQueue<>();
    final BlockingQueue<MediaDirection> directions = new LinkedBlockingQueue<>();
    final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> transferProgress = new LinkedBlockingQueue<>();
    final BlockingQueue<Call> replacements = new LinkedBlockingQueue<>();
    private volatile Consumer<Call> onIncoming = c -> { };

    RecordingListener answering() {
        onIncoming = Call::answer;
        return this;
    }

    RecordingListener onIncoming(Consumer<Call> action) {
        onIncoming = action;
        return this;
    }

    @Override
    public void onRegistration(RegistrationState state, String registrar, int status) {
        registrations.add(new Registration(state, registrar, status));
    }

    @Override
    public void onIncomingCall(Call call) {
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

    @Override
    public void onTransferred(Call call, Call replacement) {
        replacements.add(replacement);
    }

    static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        T value = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(value).as("waiting for " + what).isNotNull();
        return value;
    }

    /** Waits until {@code call} reaches {@code state}, skipping other events. */
    Call awaitState(Call call, CallState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            StateChange change = states.poll(100, TimeUnit.MILLISECONDS);
            if (change != null && (call == null || change.call() == call) && change.state() == state) {
                return change.call();
            }
        }
        throw new AssertionError("call " + call + " never reached " + state);
    }

    RegistrationState awaitRegistration(RegistrationState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Registration r = registrations.poll(100, TimeUnit.MILLISECONDS);
            if (r != null && r.state() == state) {
                return r.state();
            }
        }
        throw new AssertionError("registration never reached " + state);
    }

    Registration awaitRegistrationEvent(RegistrationState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Registration r = registrations.poll(100, TimeUnit.MILLISECONDS);
            if (r != null && r.state() == state) {
                return r;
            }
        }
        throw new AssertionError("registration never reached " + state);
    }
}
