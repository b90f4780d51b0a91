package io.tandem.agent.testing;

import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.PhoneListener;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.telephony.testing.RecordingListener;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A {@link PhoneListener} that queues what it hears, for tests to take in order. */
public final class PhoneEvents implements PhoneListener {
    public static final Duration WAIT = RecordingListener.WAIT;

    public final BlockingQueue<RegistrationStatus> registrations = new LinkedBlockingQueue<>();
    public final BlockingQueue<PhoneCall> incoming = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> phases = new LinkedBlockingQueue<>();
    public final BlockingQueue<Boolean> holds = new LinkedBlockingQueue<>();
    public final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();

    @Override
    public void onRegistration(RegistrationStatus status) {
        registrations.add(status);
    }

    @Override
    public void onIncomingCall(PhoneCall call) {
        incoming.add(call);
    }

    @Override
    public void onCallPhase(PhoneCall call, CallPhase phase) {
        phases.add(call.id() + " " + phase);
    }

    @Override
    public void onHold(PhoneCall call, boolean held) {
        holds.add(held);
    }

    @Override
    public void onDtmf(PhoneCall call, char digit) {
        digits.add(digit);
    }

    /** The next item, or a failure naming {@code what}. */
    public static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        return RecordingListener.next(queue, what);
    }

    /** Takes registration updates until one is in {@code phase}; returns it. */
    public RegistrationStatus awaitRegistration(RegistrationStatus.Phase phase) throws InterruptedException {
        while (true) {
            RegistrationStatus s = next(registrations, "registration " + phase);
            if (s.phase() == phase) {
                return s;
            }
        }
    }

    /** Takes phase updates until {@code call} reaches {@code phase}. */
    public void awaitPhase(PhoneCall call, CallPhase phase) throws InterruptedException {
        while (!next(phases, call.id() + " " + phase).equals(call.id() + " " + phase)) {
            // earlier phases of the same call pass by
        }
    }
}
