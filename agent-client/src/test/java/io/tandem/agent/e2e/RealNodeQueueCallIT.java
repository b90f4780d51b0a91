package io.tandem.agent.e2e;

import static io.tandem.agent.e2e.RealNodes.agentMe;
import static io.tandem.agent.e2e.RealNodes.fxBool;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.engine.EngineKind;
import io.tandem.agent.headless.HeadlessOptions;
import io.tandem.agent.headless.HeadlessPhone;
import io.tandem.agent.testing.Engines;
import io.tandem.agent.testing.NodeCaller;
import io.tandem.agent.testing.NodeProcess;
import io.tandem.agent.testing.OneNode;
import io.tandem.agent.testing.PhoneUi;
import io.tandem.agent.testing.TestWavs;
import io.tandem.protocol.AgentLogin;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.ToneCount;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The softphone window against a real node and Redis, no stand-ins: the node's own agent API (login, token, SIP
 * account, node list), its WebSocket offers and its queue 7000 (demo tenant, agent 1001 a member). A wrong password
 * first, then the real login; Available; a customer on extension 1010 dials 7000; the offer names the caller and the
 * queue; Answer; tones both ways through the node's bridge; Hold and resume; Hang up; wrap-up counts down and ends
 * by itself; Available again in the window and at GET /api/v1/agents/me. And {@code ./tandem phone --headless}
 * (in-process) logged in at the same node auto-answers a call to 7000. Both on each engine (pjsua2 and Java).
 */
class RealNodeQueueCallIT {
    private static final Duration AUDIO = Duration.ofSeconds(30);
    private static final Duration SLOW = Duration.ofSeconds(60);
    /** One second of 20 ms frames: the customer's tone the headless agent's recording must hold. */
    private static final int RECORDED_FRAMES = 50;

    @RegisterExtension
    static final OneNode cluster = new OneNode("e2e-n1");

    @TempDir
    Path dir;



    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void aQueueCallThroughARealNodeIsOfferedAnsweredHeldHungUpAndWrappedUp(EngineKind kind) throws Exception {
        Path agentVoice = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 3);
        Path recording = dir.resolve("agent-hears.wav");
        // An agent and a customer per engine, so nothing one run leaves at the node (a binding, a wrap-up) is
        // mistaken for the other's.
        String agent = kind == EngineKind.JAVA ? "1001" : "1005";
        String customerExtension = kind == EngineKind.JAVA ? "1010" : "1014";
        try (PhoneUi ui = PhoneUi.open(new FileAudio(agentVoice, recording), dir.resolve("config"), Engines.choice(kind));
             NodeCaller customer = new NodeCaller(customerExtension, cluster.node(), 700)) {
            // Bad input first: the node's login answers 401 and the window says so.
            RealNodes.logIn(ui, cluster.node().url(), agent, "not-my-password");
            ui.awaitText("login-message", "Wrong agent id, tenant or password");

            RealNodes.logIn(ui, cluster.node().url(), agent, NodeProcess.PASSWORD);
            ui.awaitShowing("main-view");
            ui.awaitText("sip-status", "SIP registered · 127.0.0.1", SLOW);
            ui.awaitText("socket-status", "Events connected");
            AgentLogin login = ui.window().session().login();
            assertThat(login.nodes()).extracting(n -> n.id()).containsExactly("e2e-n1");
            assertThat(login.nodes().get(0).sipUri()).isEqualTo(cluster.node().sipUri());

            RealNodes.choose(ui, "Available");
            ui.awaitText("state-badge", "Available");
            Await.until("the node has " + agent + " available", PhoneUi.WAIT,
                    () -> agentMe(cluster.node(), login.token()).contains("\"state\":\"available\""));

            customer.dial(cluster.node(), "7000", 1000);
            ui.awaitShowing("offer-panel");
            ui.awaitText("offer-number", customerExtension);
            ui.awaitText("offer-queue", "support");
            Await.until("Answer enabled once the node's INVITE rings", PhoneUi.WAIT,
                    () -> !fxBool(() -> ui.node("offer-answer").isDisabled()));
            ui.screenshot("real-node-offer-" + kind.id());

            ui.click("offer-answer");
            ui.awaitShowing("call-panel");
            ui.awaitText("call-phase", "Connected");
            ui.awaitText("call-remote", customerExtension);
            ui.awaitText("state-badge", "On call");
            long before = customer.ear.toneFrames();
            Await.until("the customer hears the agent's 700 Hz through the node", AUDIO,
                    () -> customer.ear.toneFrames() > before + 25);
            ui.awaitText("call-timer", "0:0");
            Path shot = ui.screenshot("main-window-real-call-" + kind.id());
            assertThat(Files.size(shot)).isGreaterThan(10_000);

            ui.click("call-hold");
            ui.awaitText("call-phase", "On hold");
            ui.click("call-hold");
            ui.awaitText("call-phase", "Connected");
            long resumed = customer.ear.toneFrames();
            Await.until("the customer hears the agent again after resume", AUDIO,
                    () -> customer.ear.toneFrames() > resumed + 25);

            ui.click("call-hangup");
            customer.awaitState(CallState.ENDED);
            ui.awaitShowing("idle-card");
            ui.awaitText("state-badge", "Wrap-up");
            ui.awaitText("wrapup-countdown", "Wrap-up ");
            int first = wrapUpLeft(ui);
            Await.until("the wrap-up counts down", PhoneUi.WAIT, () -> wrapUpLeft(ui) < first);
            ui.screenshot("real-node-wrap-up-" + kind.id());
            // The queue's 10 s wrap-up ends at the node (its sweeper), not by a click.
            ui.awaitText("state-badge", "Available", SLOW);
            assertThat(agentMe(cluster.node(), login.token())).startsWith("200").contains("\"state\":\"available\"");
        }
        assertThat(ToneCount.inWav(recording, 1000)).as("frames of the customer's 1 kHz in the agent's recording")
                .isGreaterThan(50);
    }

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void theHeadlessPhoneAutoAnswersAQueueCallFromARealNode(EngineKind kind) throws Exception {
        String agent = kind == EngineKind.JAVA ? "1002" : "1006";
        String customerExtension = kind == EngineKind.JAVA ? "1011" : "1015";
        Path play = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 2);
        Path record = dir.resolve("customer.wav");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);
        try (HeadlessPhone.Running phone = HeadlessPhone.start(new String[] {"--headless", "--agent", agent,
                "--tenant", "demo", "--backend", cluster.node().url(), "--auto-answer", "--play", play.toString(),
                "--record", record.toString()}, Map.of(HeadlessOptions.PASSWORD_ENV, NodeProcess.PASSWORD), out,
                Engines.choice(kind));
             NodeCaller customer = new NodeCaller(customerExtension, cluster.node(), 700)) {
            Await.until("registered to the node", SLOW, () -> phone.engine().registration().registered());
            Await.until("Available at the node", PhoneUi.WAIT, () -> report.toString(StandardCharsets.UTF_8)
                    .contains("agent AVAILABLE"));
            Await.until("WebSocket open", PhoneUi.WAIT, () -> report.toString(StandardCharsets.UTF_8)
                    .contains("websocket connected to "));

            Call call = customer.dial(cluster.node(), "7000", 1000);
            Await.until("auto-answered", PhoneUi.WAIT, () -> report.toString(StandardCharsets.UTF_8)
                    .contains("call " + customerExtension + " connected"));
            long before = customer.ear.toneFrames();
            // Both directions cross the node at once, so what the customer hears bounds what the agent has
            // recorded only up to their start-up skew: the customer stays until it has heard twice the frames the
            // recording is asked for below (the played file loops), and a frame's skew cannot decide the result.
            Await.until("the customer hears the played file through the node", AUDIO,
                    () -> customer.ear.toneFrames() > before + 2 * RECORDED_FRAMES);
            call.hangup();
            Await.until("the agent's leg ends", PhoneUi.WAIT, () -> report.toString(StandardCharsets.UTF_8)
                    .contains("call " + customerExtension + " ended"));
        }
        String lines = report.toString(StandardCharsets.UTF_8);
        // The offer (WebSocket) and its INVITE (SIP) race: whichever comes second is tied to the first by
        // X-Tandem-Offer, so the queue shows on the ringing line only when the offer came first.
        assertThat(lines).contains("logged in as " + agent).contains("engine " + kind.id())
                .contains("sip registered " + cluster.node().sipUri())
                .contains("offer from " + customerExtension + " in 7000").contains("ringing: " + customerExtension);
        assertThat(ToneCount.inWav(record, 1000)).as("frames of the customer's tone recorded")
                .isGreaterThan(RECORDED_FRAMES);
    }

    private static int wrapUpLeft(PhoneUi ui) {
        String text = ui.text("wrapup-countdown").replaceAll("[^0-9]", "");
        return text.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(text);
    }
}
