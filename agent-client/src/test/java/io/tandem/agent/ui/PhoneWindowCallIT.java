package io.tandem.agent.ui;

import static io.tandem.agent.testing.PhoneEvents.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.engine.TelephonyPhoneEngine;
import io.tandem.agent.testing.AgentApiServer;
import io.tandem.agent.testing.AgentWsServer;
import io.tandem.agent.testing.Caller;
import io.tandem.agent.testing.NodeProcess;
import io.tandem.agent.testing.OneNode;
import io.tandem.agent.testing.PhoneUi;
import io.tandem.agent.testing.TestWavs;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.MessageType;
import io.tandem.protocol.NodeEndpoint;
import io.tandem.protocol.Offer;
import io.tandem.protocol.OfferEnded;
import io.tandem.protocol.QueueFigures;
import io.tandem.protocol.StateChange;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.ToneCount;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's call in the real window. The phone registers to a real node (digest, Redis); the agent API and its
 * WebSocket are served by {@link AgentApiServer}/{@link AgentWsServer} exactly as the protocol module documents
 * them (the node's agent API is not on main yet); the caller is telephony's user agent calling the phone directly
 * (calls through a node need the B2BUA). Log in, go Available, see the offer with the caller's number and queue,
 * Answer, hear each other, Hold and resume, Hang up, wrap-up counts down, Done, Available again.
 */
class PhoneWindowCallIT {
    private static final Duration AUDIO = Duration.ofSeconds(20);

    @RegisterExtension
    static final OneNode cluster = new OneNode("ui-n1");

    @TempDir
    Path dir;



    private static void logIn(PhoneUi ui, AgentApiServer api, String agent) throws Exception {
        ui.type("login-url", api.url());
        ui.type("login-tenant", "demo");
        ui.type("login-agent", agent);
        ui.type("login-password", NodeProcess.PASSWORD);
        ui.click("login-button");
        ui.awaitShowing("main-view");
        // A node's first REGISTER can be slow on a busy machine (cold JIT): the phone retries, we wait for it.
        ui.awaitText("sip-status", "SIP registered", Duration.ofSeconds(60));
    }

    @Test
    void anOfferIsAnsweredHeldAndHungUpAndWrapUpEndsWithDone() throws Exception {
        Path agentVoice = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 3);
        Path recording = dir.resolve("agent-hears.wav");
        try (AgentWsServer ws = new AgentWsServer(AgentApiServer.TOKEN);
             AgentApiServer api = new AgentApiServer("1001", "demo", NodeProcess.PASSWORD,
                     List.of(new NodeEndpoint("ui-n1", cluster.node().sipUri(), ws.httpUrl())));
             PhoneUi ui = PhoneUi.open(new FileAudio(agentVoice, recording), dir.resolve("config"));
             Caller caller = new Caller("4915112345678", 700)) {
            api.setQueues(List.of(new QueueFigures("sales", "Sales DE", 3, 85, 0, 41, 2, 93.0, 12.5, 240.0),
                    new QueueFigures("support", "Support", 0, 0, 2, 17, 0, 100.0, 8.0, 180.0)));

            logIn(ui, api, "1001");
            ui.awaitText("agent-name", "Dana Agent");
            String remembered = Files.readString(dir.resolve("config").resolve("phone.properties"));
            assertThat(remembered).contains("agent-id=1001").contains("tenant=demo")
                    .doesNotContain(NodeProcess.PASSWORD);
            ui.awaitText("socket-status", "Events connected");
            ui.awaitText("state-badge", "Not ready · Break");
            assertThat(PhoneUi.fx(() -> ((javafx.scene.control.ComboBox<?>) ui.node("state-selector")).getValue()))
                    .isEqualTo("Not ready — Break");
            Await.until("the WebSocket carries pings", PhoneUi.WAIT,
                    () -> ws.received.stream().anyMatch(e -> e.type().equals(MessageType.PING)));
            assertThat(ui.showing("queue-sales")).isTrue();

            // Go Available with the selector.
            PhoneUi.fx(() -> {
                ((javafx.scene.control.ComboBox<String>) ui.node("state-selector")).setValue("Available");
                return null;
            });
            StateChange change = next(api.stateChanges, "PUT state");
            assertThat(change.state()).isEqualTo(AgentState.AVAILABLE);
            ui.awaitText("state-badge", "Available");

            // Invalid number on the dial pad: a sentence, no call.
            ui.type("dial-number", "12ab");
            ui.click("dial-call");
            ui.awaitText("dial-message", "Numbers only");

            // An offer whose caller gives up before the INVITE: shown, then gone with offer.ended.
            ws.push(MessageType.OFFER, new Offer("offer-0", "abandoned@test", "sales", "Sales DE", "5550000", "",
                    12, 20, Map.of()));
            ui.awaitShowing("offer-panel");
            ui.awaitText("offer-number", "5550000");
            assertThat(fxBool(() -> ui.node("offer-answer").isDisabled())).as("nothing to answer yet").isTrue();
            ws.push(MessageType.OFFER_ENDED, new OfferEnded("offer-0", "abandoned"));
            ui.awaitShowing("idle-card");

            // The caller dials; the offer for the same Call-ID arrives on the WebSocket.
            TelephonyPhoneEngine engine = (TelephonyPhoneEngine) ui.window().session().engine();
            Call call = caller.call(engine.directUri(), 1000);
            ws.push(MessageType.OFFER, new Offer("offer-1", call.id(), "sales", "Sales DE", "+49 151 12345678",
                    "Anna Example", 85, 20, Map.of("customer", "C-1042", "language", "German")));
            ws.push(MessageType.AGENT_STATE, api.status(AgentState.RESERVED, "", null));
            ui.awaitShowing("offer-panel");
            ui.awaitText("offer-number", "+49 151 12345678");
            ui.awaitText("offer-queue", "Sales DE");
            ui.awaitText("offer-name", "Anna Example");
            Await.until("Answer enabled once the call rings", PhoneUi.WAIT,
                    () -> !fxBool(() -> ui.node("offer-answer").isDisabled()));
            ui.screenshot("offer-ringing");

            ui.click("offer-answer");
            caller.awaitState(CallState.CONNECTED);
            ws.push(MessageType.AGENT_STATE, api.status(AgentState.ON_CALL, "", null));
            ui.awaitShowing("call-panel");
            ui.awaitText("call-phase", "Connected");
            ui.awaitText("call-remote", "+49 151 12345678");
            ui.awaitText("call-remote-name", "Anna Example");
            Await.until("the caller hears the agent's 700 Hz", AUDIO, () -> caller.ear.toneFrames() > 25);
            ui.awaitText("call-timer", "0:0");
            ui.awaitText("state-badge", "On call");
            ui.type("transfer-target", "2001");
            Path shot = ui.screenshot("main-window-in-call");
            assertThat(Files.size(shot)).isGreaterThan(10_000);

            ui.click("call-hold");
            assertThat(next(caller.directions, "the caller is held")).isEqualTo(MediaDirection.RECVONLY);
            ui.awaitText("call-phase", "On hold");
            ui.screenshot("main-window-on-hold");
            ui.click("call-hold");
            assertThat(next(caller.directions, "the caller resumes")).isEqualTo(MediaDirection.SENDRECV);
            ui.awaitText("call-phase", "Connected");

            ui.click("call-hangup");
            caller.awaitState(CallState.ENDED);
            ws.push(MessageType.AGENT_STATE, api.status(AgentState.WRAP_UP, "", Instant.now().plusSeconds(30)));
            ui.awaitShowing("idle-card");
            ui.awaitText("wrapup-countdown", "Wrap-up 2");
            Await.until("the call is in the history", PhoneUi.WAIT,
                    () -> fxBool(() -> ((TableView<?>) ui.node("history-table")).getItems().size() == 1));
            ui.screenshot("main-window-wrap-up");

            ui.click("wrapup-done");
            assertThat(next(api.stateChanges, "Done → PUT state").state()).isEqualTo(AgentState.AVAILABLE);
            ui.awaitText("state-badge", "Available");
        }
        assertThat(ToneCount.inWav(recording, 1000)).as("frames of the caller's 1 kHz the agent heard")
                .isGreaterThan(50);
    }

    @Test
    void keyboardShortcutsAnswerMuteAndHangUpAndTheDialPadCallsOut() throws Exception {
        Path agentVoice = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 3);
        try (AgentWsServer ws = new AgentWsServer(AgentApiServer.TOKEN);
             AgentApiServer api = new AgentApiServer("1004", "demo", NodeProcess.PASSWORD,
                     List.of(new NodeEndpoint("ui-n1", cluster.node().sipUri(), ws.httpUrl())));
             PhoneUi ui = PhoneUi.open(new FileAudio(agentVoice, null), dir.resolve("config"));
             Caller caller = new Caller("5550123", 700).answering(1000)) {
            logIn(ui, api, "1004");

            // A direct call (no queue offer): F2 answers, F6 mutes, F4 hangs up.
            TelephonyPhoneEngine engine = (TelephonyPhoneEngine) ui.window().session().engine();
            caller.call(engine.directUri(), 1000);
            ui.awaitShowing("offer-panel");
            ui.awaitText("offer-number", "5550123");
            ui.awaitText("offer-queue", "Direct call");
            Await.until("Answer enabled", PhoneUi.WAIT, () -> !fxBool(() -> ui.node("offer-answer").isDisabled()));
            ui.robot.push(javafx.scene.input.KeyCode.F2);
            caller.awaitState(CallState.CONNECTED);
            Await.until("the caller hears the agent", AUDIO, () -> caller.ear.toneFrames() > 25);
            ui.robot.push(javafx.scene.input.KeyCode.F6);
            ui.awaitText("call-mute", "Unmute");
            long framesAtMute = caller.ear.frames();
            Await.until("1 s after mute", AUDIO, () -> caller.ear.frames() > framesAtMute + 50);
            long toneAtMute = caller.ear.toneFrames();
            long framesMuted = caller.ear.frames();
            Await.until("2 s muted", AUDIO, () -> caller.ear.frames() > framesMuted + 100);
            assertThat(caller.ear.toneFrames()).as("nothing of the agent while muted").isLessThanOrEqualTo(toneAtMute + 3);
            ui.robot.push(javafx.scene.input.KeyCode.F4);
            caller.awaitState(CallState.ENDED);
            ui.awaitShowing("idle-card");

            // Outbound from the dial pad to a SIP address; the far end answers.
            ui.type("dial-number", caller.uri());
            ui.click("dial-call");
            caller.awaitState(CallState.CONNECTED);
            ui.awaitText("call-phase", "Connected");
            ui.click("call-key-5");
            assertThat(next(caller.digits, "DTMF from the in-call keypad")).isEqualTo('5');
            ui.click("call-hangup");
            caller.awaitState(CallState.ENDED);
            Await.until("both calls are in the history", PhoneUi.WAIT,
                    () -> fxBool(() -> ((TableView<?>) ui.node("history-table")).getItems().size() == 2));

            // Settings: auto-answer on; the next call is answered without a click and the choice is remembered.
            ui.click("open-settings");
            ui.awaitShowing("settings-auto-answer");
            ui.click("settings-auto-answer");
            ui.screenshotOf("settings", "settings");
            Await.until("auto-answer saved", PhoneUi.WAIT, () -> {
                try {
                    return Files.readString(dir.resolve("config").resolve("phone.properties")).contains("auto-answer=true");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            ui.click("settings-close");
            caller.call(engine.directUri(), 1000);
            caller.awaitState(CallState.CONNECTED);
            ui.awaitText("call-phase", "Connected");
            ui.robot.push(javafx.scene.input.KeyCode.F4);
            caller.awaitState(CallState.ENDED);
        }
    }

    private static boolean fxBool(java.util.concurrent.Callable<Boolean> check) {
        try {
            return PhoneUi.fx(check);
        } catch (Exception e) {
            return false;
        }
    }
}
