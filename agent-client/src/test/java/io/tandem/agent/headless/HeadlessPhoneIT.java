package io.tandem.agent.headless;

import static io.tandem.agent.testing.PhoneEvents.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.agent.api.ApiException;
import io.tandem.agent.engine.TelephonyPhoneEngine;
import io.tandem.agent.testing.AgentApiServer;
import io.tandem.agent.testing.AgentWsServer;
import io.tandem.agent.testing.Caller;
import io.tandem.agent.testing.NodeProcess;
import io.tandem.agent.testing.OneNode;
import io.tandem.agent.testing.TestWavs;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.NodeEndpoint;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.ToneCount;
import io.tandem.telephony.ua.CallState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tandem phone --headless}: the window's session without a window. Registers to a real node, goes Available,
 * auto-answers, plays its WAV to the caller and records the caller. The agent API here is {@link AgentApiServer}
 * (e2e.RealNodeQueueCallIT runs headless against a node's own); a server without the agent API gets a clear answer.
 */
class HeadlessPhoneIT {
    private static final Duration AUDIO = Duration.ofSeconds(20);
    @RegisterExtension
    static final OneNode cluster = new OneNode("headless-n1");

    @TempDir
    Path dir;



    @Test
    void logsInGoesAvailableAutoAnswersPlaysAndRecords() throws Exception {
        Path play = TestWavs.tone(dir.resolve("agent-700hz.wav"), 700, 2);
        Path record = dir.resolve("caller.wav");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);
        try (AgentWsServer ws = new AgentWsServer(AgentApiServer.TOKEN);
             AgentApiServer api = new AgentApiServer("1002", "demo", NodeProcess.PASSWORD,
                     List.of(new NodeEndpoint("headless-n1", cluster.node().sipUri(), ws.httpUrl())));
             HeadlessPhone.Running phone = HeadlessPhone.start(new String[] {"--headless", "--agent", "1002",
                     "--tenant", "demo", "--backend", api.url(), "--auto-answer", "--play", play.toString(),
                     "--record", record.toString()}, Map.of(HeadlessOptions.PASSWORD_ENV, NodeProcess.PASSWORD), out);
             Caller caller = new Caller("5550100", 700)) {
            assertThat(next(api.stateChanges, "goes Available").state()).isEqualTo(AgentState.AVAILABLE);
            Await.until("registered to the node", Duration.ofSeconds(60), () -> phone.engine().registration().registered());
            assertThat(phone.engine().registration().registrar()).isEqualTo(cluster.node().sipUri());
            Await.until("WebSocket open", AUDIO, ws::connected);

            caller.call(((TelephonyPhoneEngine) phone.engine()).directUri(), 1000);
            caller.awaitState(CallState.CONNECTED);
            Await.until("the caller hears the played file", AUDIO, () -> caller.ear.toneFrames() > 50);
            Await.until("3 s of call", AUDIO, () -> caller.ear.frames() > 150);
        }
        String lines = report.toString(StandardCharsets.UTF_8);
        assertThat(lines).contains("logged in as 1002").contains("sip registered " + cluster.node().sipUri())
                .contains("ringing: 5550100").contains("call 5550100 connected").contains("agent AVAILABLE");
        assertThat(ToneCount.inWav(record, 1000)).as("frames of the caller's tone recorded").isGreaterThan(50);
    }

    @Test
    void aServerWithoutTheAgentApiGetsAClearAnswer() throws Exception {
        // Any HTTP server that is not a Tandem node (nodes serve the agent API since issue 4): 404 on every path.
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
        other.start();
        String url = "http://127.0.0.1:" + other.getAddress().getPort();
        try {
            assertThatThrownBy(() -> HeadlessPhone.start(new String[] {"--headless", "--agent", "1003", "--tenant",
                    "demo", "--backend", url}, Map.of(HeadlessOptions.PASSWORD_ENV, NodeProcess.PASSWORD),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                    .isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).kind())
                            .isEqualTo(ApiException.Kind.NOT_SUPPORTED))
                    .hasMessageNotContaining("Exception");
        } finally {
            other.stop(0);
        }
    }
}
