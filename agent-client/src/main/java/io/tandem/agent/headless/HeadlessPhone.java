package io.tandem.agent.headless;

import io.tandem.agent.api.ApiException;
import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.agent.engine.TelephonyPhoneEngine;
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
        HeadlessOptions options;
        try {
            options = HeadlessOptions.parse(args, System.getenv());
        } catch (HeadlessOptions.UsageException e) {
            err.println("tandem phone: " + e.getMessage());
            return 2;
        }
        FileAudio audio;
        try {
            audio = new FileAudio(options.play(), options.record());
        } catch (IOException e) {
            err.println("tandem phone: --play: " + e.getMessage());
            return 2;
        }
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "phone-session");
            t.setDaemon(true);
            return t;
        });
        TelephonyPhoneEngine engine = new TelephonyPhoneEngine(
                EngineSettings.defaults().withSipPort(options.sipPort()), audio, Clock.systemUTC());
        HeadlessPhone phone = new HeadlessPhone(out);
        AgentSession session = new AgentSession(engine, scheduler, Runnable::run, Clock.systemUTC(), phone);
        session.setAutoAnswer(options.autoAnswer());
        try {
            session.open(new LoginRequest(options.backend(), options.tenant(), options.agent(), options.password()));
            out.println("logged in as " + options.agent() + "; audio " + audio.describe());
            if (options.available()) {
                session.changeState(AgentState.AVAILABLE, "");
            }
        } catch (ApiException | IOException e) {
            err.println("tandem phone: " + e.getMessage());
            session.close();
            return 1;
        } finally {
            Arrays.fill(options.password(), '\0');
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            session.close();
            stop.countDown();
        }, "phone-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
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
