package io.tandem.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.testing.Caller;
import io.tandem.agent.testing.NodeProcess;
import io.tandem.agent.testing.OneNode;
import io.tandem.agent.testing.PhoneUi;
import io.tandem.agent.testing.Resp;
import io.tandem.agent.testing.TestWavs;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import io.tandem.protocol.callback.DirectMessage;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.ua.Call;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop softphone woken for a parked app caller, against a real node and Redis. The test plays the callback
 * service: it publishes the wake on the tenant's live channel exactly as the service's {@code TenantEvents.publishTo}
 * does (a direct message: agent id, no stream id), and the node holding the agent's WebSocket delivers it to that
 * agent alone. A not-ready agent sees "Caller waiting" with the caller's hostile name as plain text, the wait
 * ticking; Join dials {@code join*<token>} at the address the wake names (here a test UA standing in for the room's
 * node); a wake the service ends goes away.
 */
class RealNodeCallbackWakeIT {
    private static final Duration SLOW = Duration.ofSeconds(60);
    private static final String TENANT = "demo";
    private static final String HOSTILE = "<b>Eve</b> <img src=x onerror=alert(1)>";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final OneNode cluster = new OneNode("wake-n1");

    @TempDir
    Path dir;

    @Test
    void aNotReadyAgentIsShownTheWaitingCallerAndJoinDialsTheRoomWithItsToken() throws Exception {
        Path voice = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 3);
        try (PhoneUi ui = PhoneUi.open(new FileAudio(voice, dir.resolve("agent-hears.wav")), dir.resolve("config"));
             Caller room = new Caller("room", 700).answering(1000);
             Resp redis = new Resp(cluster.redis().port())) {
            RealNodes.logIn(ui, cluster.node().url(), "1001", NodeProcess.PASSWORD);
            ui.awaitShowing("main-view");
            ui.awaitText("sip-status", "SIP registered", SLOW);
            ui.awaitText("socket-status", "Events connected");
            chooseNotReady(ui);
            ui.awaitText("state-badge", "Not ready");
            // What the service's WakeList reads to find a running softphone: the node holding the socket marks it.
            Await.until("node wake-n1 marks 1001's softphone seen", PhoneUi.WAIT, () -> {
                String seen = agentField(redis, "seen");
                return seen != null && System.currentTimeMillis() - Long.parseLong(seen) < 10_000
                        && "wake-n1".equals(agentField(redis, "node"));
            });

            // A wake for another agent first: were it delivered here, it would be shown before 1001's own.
            publish(redis, "1002", CallbackWake.KIND, new CallbackWake("r-other", "+4400000000", "Not yours",
                    "7002", 1, "other.sig", "sip:join*other.sig@127.0.0.1:5060").fields());
            String token = "dG9rZW4.c2ln";
            String joinUri = "sip:join*" + token + "@" + room.uri().substring(room.uri().indexOf('@') + 1);
            publish(redis, "1001", CallbackWake.KIND,
                    new CallbackWake("r-1", "+4930123456", HOSTILE, "7002", 83, token, joinUri).fields());

            ui.awaitShowing("callback-wake");
            ui.awaitText("callback-wake-number", "+4930123456");
            assertThat(ui.text("callback-wake-name")).isEqualTo(HOSTILE);
            assertThat(ui.text("callback-wake-queue")).isEqualTo("7002");
            ui.awaitText("callback-wake-waiting", "waiting 1:2");
            String before = ui.text("callback-wake-waiting");
            Await.until("the wait ticks", PhoneUi.WAIT, () -> !ui.text("callback-wake-waiting").equals(before));
            Path shot = ui.screenshot("callback-wake");
            assertThat(Files.size(shot)).isGreaterThan(10_000);

            ui.click("callback-wake-join");
            Call joined = room.incoming.poll(PhoneUi.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(joined).as("Join places a call at the address the wake names").isNotNull();
            assertThat(joined.inviteHeader("To")).contains("sip:join*" + token + "@");
            ui.awaitShowing("call-panel");
            ui.awaitText("call-remote", "+4930123456");
            assertThat(ui.showing("callback-wake")).isFalse();
            ui.click("call-hangup");

            // Another caller parked, then taken by another agent: the service's end of the wake removes the card.
            publish(redis, "1001", CallbackWake.KIND, new CallbackWake("r-2", "+4930999999", "Bob", "7002", 5,
                    "second.sig", joinUri).fields());
            ui.awaitText("callback-wake-number", "+4930999999");
            publish(redis, "1001", CallbackWakeEnded.KIND, new CallbackWakeEnded("r-2").fields());
            Await.until("the ended wake's card gone", PhoneUi.WAIT, () -> !ui.showing("callback-wake"));
        }
    }

    private static String agentField(Resp redis, String field) {
        try {
            return redis.hget(NodeKeys.agent(TENANT, "1001"), field);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void chooseNotReady(PhoneUi ui) throws Exception {
        PhoneUi.fx(() -> {
            ComboBox<String> selector = (ComboBox<String>) ui.node("state-selector");
            List<String> notReady = selector.getItems().stream().filter(c -> c.startsWith("Not ready")).toList();
            selector.setValue(notReady.get(0));
            return null;
        });
    }

    /** What the callback service's {@code TenantEvents.publishTo} sends: a direct message, no stream id. */
    private static void publish(Resp redis, String agent, String kind, Map<String, String> fields) throws Exception {
        DirectMessage message = new DirectMessage(kind, agent, "callback-test", System.currentTimeMillis(), fields);
        long nodes = redis.publish(NodeKeys.liveEvents(TENANT), JSON.writeValueAsString(message.live()));
        assertThat(nodes).as("the node listens on the live channel").isEqualTo(1);
    }
}
