package io.tandem.agent.e2e;

import static io.tandem.agent.e2e.RealNodes.agentMe;
import static io.tandem.agent.e2e.RealNodes.fxBool;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.testing.NodeCaller;
import io.tandem.agent.testing.NodeProcess;
import io.tandem.agent.testing.PhoneUi;
import io.tandem.agent.testing.TestWavs;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.NodeEndpoint;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.CallState;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Failover with real nodes: the window logs in at node 1 and learns both nodes from the real login; it registers and
 * opens its WebSocket on node 1. Node 1 is killed (SIGKILL: no goodbye). The phone registers on node 2, its
 * WebSocket moves there (node 1 is gone, yet the next offer arrives), and a customer dialling 7000 on node 2 is
 * offered to the agent, answered and heard.
 */
class RealNodeFailoverIT {
    private static final Duration SLOW = Duration.ofSeconds(60);

    private static RedisServer redis;
    private static NodeProcess first;
    private static NodeProcess second;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.started();
        first = NodeProcess.start("fo-n1", redis);
        second = NodeProcess.start("fo-n2", redis);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theNodeThePhoneIsOnDiesAndTheNextOfferArrivesThroughTheOtherNode() throws Exception {
        Path agentVoice = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 3);
        try (PhoneUi ui = PhoneUi.open(new FileAudio(agentVoice, null), dir.resolve("config"));
             NodeCaller customer = new NodeCaller("1010", second, 700)) {
            RealNodes.logIn(ui, first.url(), "1001", NodeProcess.PASSWORD);
            ui.awaitShowing("main-view");
            AgentLogin login = ui.window().session().login();
            assertThat(login.nodes()).extracting(NodeEndpoint::id).containsExactly("fo-n1", "fo-n2");
            ui.awaitText("sip-status", "SIP registered · " + hostPort(first), SLOW);
            ui.awaitText("socket-status", "Events connected");
            RealNodes.choose(ui, "Available");
            ui.awaitText("state-badge", "Available");

            long killedAt = System.nanoTime();
            first.kill();

            ui.awaitText("sip-status", "SIP registered · " + hostPort(second), SLOW);
            LoggerFactory.getLogger(RealNodeFailoverIT.class).info("failover: registered on fo-n2 {} ms after fo-n1"
                    + " was killed", (System.nanoTime() - killedAt) / 1_000_000);
            ui.awaitText("socket-status", "Events connected");
            Await.until("node 2 has 1001 available", PhoneUi.WAIT,
                    () -> agentMe(second, login.token()).contains("\"state\":\"available\""));
            ui.awaitText("state-badge", "Available");

            customer.dial(second, "7000", 1000);
            ui.awaitShowing("offer-panel");
            ui.awaitText("offer-number", "1010");
            // The queue's name comes only with the offer on the WebSocket, which node 2 alone can send now.
            ui.awaitText("offer-queue", "support");
            Await.until("Answer enabled", PhoneUi.WAIT, () -> !fxBool(() -> ui.node("offer-answer").isDisabled()));
            ui.click("offer-answer");
            ui.awaitText("call-phase", "Connected");
            long before = customer.ear.toneFrames();
            Await.until("the customer hears the agent through node 2", Duration.ofSeconds(30),
                    () -> customer.ear.toneFrames() > before + 25);
            ui.screenshot("real-node-after-failover");
            ui.click("call-hangup");
            customer.awaitState(CallState.ENDED);
            ui.awaitText("state-badge", "Wrap-up");
        }
    }

    private static String hostPort(NodeProcess node) {
        return node.sipUri().substring("sip:".length());
    }
}
