package io.tandem.telephony.testing;

import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgentListener;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records every user agent event in order, so tests wait for exactly what they expect. The listener of a user agent
 * a test configures itself; {@link TestPhone} is one with its own user agent, tone and ear.
 */
public class RecordingListener implements UserAgentListener {
    public static final Duration WAIT = Duration.ofSeconds(20);

    public record Registration(RegistrationState state, String registrar, int status) {
    }

    public record StateChange(Call call, CallState state) {
    }

    public final BlockingQueue<Registration> registrations = new LinkedBlockingQueue<>();
    public final BlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
    public final BlockingQueue<StateChange> states = new LinkedBlockingQueue<>();
    public final BlockingQueue<MediaDirection> directions = new LinkedBlockingQueue<>();
    public final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();
    public final BlockingQueue<Integer> transferProgress = new LinkedBlockingQueue<>();
    public final BlockingQueue<Call> replacements = new LinkedBlockingQueue<>();
    private volatile Consumer<Call> onIncoming = c -> { };

    /** Answers every incoming call at once. */
    public RecordingListener answering() {
        return onIncoming(Call::answer);
    }

    /** Rejects every incoming call with {@code status}. */
    public RecordingListener rejecting(int status) {
        return onIncoming(call -> call.reject(status));
    }

    /** Runs {@code action} on every incoming call, after recording it; by default the call just rings. */
    public RecordingListener onIncoming(Consumer<Call> action) {
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

    /** The next item of {@code queue}, or a failure naming {@code what} after {@link #WAIT}. */
    public static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        T value = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(value).as("waiting for " + what).isNotNull();
        return value;
    }

    /** Waits until any call reaches {@code state}, skipping other events; returns that call. */
    public Call awaitState(CallState state) throws InterruptedException {
        return awaitState(null, state);
    }

    /** Waits until {@code call} (any call when null) reaches {@code state}, skipping other events. */
    public Call awaitState(Call call, CallState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            StateChange change = states.poll(100, TimeUnit.MILLISECONDS);
            if (change != null && (call == null || change.call() == call) && change.state() == state) {
                return change.call();
            }
        }
        throw new AssertionError("call " + call + " never reached " + state
                + (call == null ? "" : " (now " + call.state() + ", status " + call.endStatus() + ")"));
    }

    /** Waits until a registration reaches {@code state}, skipping other events. */
    public RegistrationState awaitRegistration(RegistrationState state) throws InterruptedException {
        return awaitRegistrationEvent(state).state();
    }

    /** As {@link #awaitRegistration}, returning the whole event (registrar, status). */
    public Registration awaitRegistrationEvent(RegistrationState state) throws InterruptedException {
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
