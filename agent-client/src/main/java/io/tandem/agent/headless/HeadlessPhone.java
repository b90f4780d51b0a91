package io.tandem.agent.headless;

import io.tandem.agent.api.ApiException;
import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.PhoneEngines;
import io.tandem.agent.session.AgentSession;
import io.tandem.agent.session.LoginRequest;
import io.tandem.agent.session.SessionListener;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.Offer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code ./tandem phone --headless}: the window's engine and session, driven by flags, reporting one line per event
 * on standard output (this is the launcher's console, so printing is its job). Runs until Ctrl-C.
 */
public final class HeadlessPhone implements SessionListener {
    private final PrintStream out;

    HeadlessPhone(PrintStream out) {
        this.out = out;
    }

    /** Exit status: 0 after Ctrl-C, 1 when login or start failed, 2 for bad flags. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Running running;
        try {
            running = start(args, System.getenv(), out);
        } catch (HeadlessOptions.UsageException e) {
            err.println("tandem phone: " + e.getMessage());
            return 2;
        } catch (ApiException | IOException e) {
            err.println("tandem phone: " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stop.countDown();
        }, "phone-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** A started headless phone: logged in, registering, Available unless {@code --not-ready}. */
    public static final class Running implements AutoCloseable {
        private final AgentSession session;
        private final PhoneEngine engine;
        private final ScheduledExecutorService scheduler;

        Running(AgentSession session, PhoneEngine engine, ScheduledExecutorService scheduler) {
            this.session = session;
            this.engine = engine;
            this.scheduler = scheduler;
        }

        public PhoneEngine engine() {
            return engine;
        }

        /** Logs out and unregisters. */
        @Override
        public void close() {
            session.close();
            scheduler.shutdownNow();
        }
    }

    /** Parses {@code args}, logs in and starts the phone; bad flags, login and start failures are thrown. */
    public static Running start(String[] args, Map<String, String> env, PrintStream out)
            throws HeadlessOptions.UsageException, ApiException, IOException {
        return start(args, env, out, PhoneEngines.fromSystemProperty());
    }

    /** As {@link #start(String[], Map, PrintStream)}, on the engine {@code engines} chose. */
    public static Running start(String[] args, Map<String, String> env, PrintStream out, PhoneEngines engines)
            throws HeadlessOptions.UsageException, ApiException, IOException {
        HeadlessOptions options = HeadlessOptions.parse(args, env);
        FileAudio audio;
        try {
            audio = new FileAudio(options.play(), options.record());
        } catch (IOException e) {
            throw new HeadlessOptions.UsageException("--play: " + e.getMessage());
        }
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "phone-session");
            t.setDaemon(true);
            return t;
        });
        PhoneEngine engine = engines.create(EngineSettings.defaults().withSipPort(options.sipPort()), audio,
                Clock.systemUTC());
        HeadlessPhone phone = new HeadlessPhone(out);
        AgentSession session = new AgentSession(engine, scheduler, Runnable::run, Clock.systemUTC(), phone);
        session.setAutoAnswer(options.autoAnswer());
        try {
            session.open(new LoginRequest(options.backend(), options.tenant(), options.agent(), options.password()));
            out.println("logged in as " + options.agent() + "; engine " + engines.kind().id() + "; audio "
                    + audio.describe());
            if (options.available()) {
                session.changeState(AgentState.AVAILABLE, "");
            }
        } catch (ApiException | IOException | RuntimeException e) {
            session.close();
            scheduler.shutdownNow();
            throw e;
        } finally {
            Arrays.fill(options.password(), '\0');
        }
        return new Running(session, engine, scheduler);
    }

    @Override
    public void onRegistration(RegistrationStatus status) {
        out.println("sip " + status.phase().name().toLowerCase() + " " + (status.registrar() == null ? "" : status.registrar())
                + (status.lastStatus() > 0 ? " (" + status.lastStatus() + ")" : ""));
    }

    @Override
    public void onSocket(boolean connected, String node) {
        out.println("websocket " + (connected ? "connected to " : "lost ") + node);
    }

    @Override
    public void onAgentStatus(AgentStatus status) {
        out.println("agent " + status.state() + (status.reason().isEmpty() ? "" : " (" + status.reason() + ")"));
    }

    @Override
    public void onOffer(Offer offer) {
        out.println("offer from " + offer.callerNumber() + " in " + offer.queue() + ", waited " + offer.waitedSeconds() + " s");
    }

    @Override
    public void onIncomingCall(PhoneCall call, Offer offer) {
        out.println("ringing: " + call.remoteNumber() + (offer == null ? "" : " (queue " + offer.queue() + ")"));
    }

    @Override
    public void onCallPhase(PhoneCall call, CallPhase phase) {
        out.println("call " + call.remoteNumber() + " " + phase.name().toLowerCase());
    }

    @Override
    public void onNotice(String message) {
        out.println("note: " + message);
    }
}
