package io.tandem.bench.phone;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.EngineKind;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneAccount;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.PhoneEngines;
import io.tandem.agent.engine.PhoneListener;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cycles (as agent-client's {@code EngineCyclesIT}, longer): each cycle a new engine (pjsua2: libCreate to
 * libDestroy) registers on the node, takes a call from a caller in this process, hangs up and closes. After the
 * warm-up and every {@code every} cycles, after a full GC, it says {@code cycle N <memory>} ({@link ProcessMemory}).
 */
final class EngineCycles {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCycles.class);
    static final int WARM_UP = 5;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Cycles that may fail (a loaded machine) before the run is called off. */
    private static final int MAX_FAILURES = 5;

    private final EngineKind kind;
    private final PhoneAccount account;
    private final int cycles;
    private final int every;

    EngineCycles(EngineKind kind, PhoneAccount account, int cycles, int every) {
        this.kind = kind;
        this.account = account;
        this.cycles = cycles;
        this.every = every;
    }

    void run() throws Exception {
        PhoneEngines engines = PhoneEngines.choose(kind);
        // One RTP block for every cycle: each engine closes its sockets before the next one starts.
        EngineSettings settings = EngineHost.settings();
        int failures = 0;
        try (TestPhone caller = TestPhone.start(UserAgentConfig.of("cycler", "tandem.bench")
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1)), 700, 1000)) {
            caller.rejecting(486);
            for (int i = 1; i <= cycles; i++) {
                try {
                    cycle(engines, settings, caller);
                } catch (Exception | AssertionError e) {
                    failures++;
                    LOG.warn("cycle {} failed: {}", i, e.toString());
                    EngineHost.say("failed " + i + " " + e);
                    if (failures >= MAX_FAILURES) {
                        throw new IllegalStateException(failures + " cycles failed", e);
                    }
                }
                if (i == WARM_UP || (i > WARM_UP && i % every == 0) || i == cycles) {
                    System.gc();
                    EngineHost.say("cycle " + i + " " + ProcessMemory.ofThisJvm().line());
                }
            }
        }
        EngineHost.say("done " + failures);
    }

    private void cycle(PhoneEngines engines, EngineSettings settings, TestPhone caller) throws Exception {
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        PhoneListener listener = new PhoneListener() {
            @Override
            public void onRegistration(RegistrationStatus status) {
                if (status.registered()) {
                    registered.countDown();
                }
            }

            @Override
            public void onCallPhase(PhoneCall call, CallPhase phase) {
                if (phase == CallPhase.CONNECTED) {
                    connected.countDown();
                } else if (phase == CallPhase.ENDED) {
                    ended.countDown();
                }
            }
        };
        try (PhoneEngine engine = engines.create(settings, FileAudio.silent(), Clock.systemUTC())) {
            engine.start(account, listener);
            await(registered, "registered");
            Call call = caller.dial(engine.directUri());
            await(connected, "the call connected at the phone");
            caller.awaitState(call, CallState.CONNECTED);
            call.hangup();
            await(ended, "the call ended at the phone");
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(what + " not within " + WAIT);
        }
    }
}
