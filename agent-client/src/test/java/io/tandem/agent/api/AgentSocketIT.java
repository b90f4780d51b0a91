package io.tandem.agent.api;

import static io.tandem.agent.testing.PhoneEvents.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.testing.AgentApiServer;
import io.tandem.agent.testing.AgentWsServer;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.MessageType;
import io.tandem.protocol.QueueFigures;
import io.tandem.telephony.testing.Await;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The agent WebSocket over real sockets: bearer token, pings, typed events, and a move to the next node when one dies. */
class AgentSocketIT {

    @Test
    void carriesEventsPingsAndMovesToTheNextNodeWhenItsNodeGoes() throws Exception {
        BlockingQueue<String> connections = new LinkedBlockingQueue<>();
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        AgentSocketListener listener = new AgentSocketListener() {
            @Override
            public void onConnection(boolean connected, String node) {
                connections.add((connected ? "up " : "down ") + node);
            }

            @Override
            public void onAgentState(AgentStatus status) {
                events.add(status.state());
            }

            @Override
            public void onQueueFigures(QueueFigures figures) {
                events.add(figures.queue() + " " + figures.waiting());
            }
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (AgentWsServer first = new AgentWsServer(AgentApiServer.TOKEN);
             AgentWsServer second = new AgentWsServer(AgentApiServer.TOKEN);
             AgentSocket socket = new AgentSocket(List.of(URI.create(first.httpUrl()), URI.create(second.httpUrl())),
                     AgentApiServer.TOKEN, listener, scheduler, Clock.systemUTC())) {
            socket.connect();
            assertThat(next(connections, "connected")).isEqualTo("up " + first.httpUrl());
            Await.until("a ping arrives", Duration.ofSeconds(30),
                    () -> first.received.stream().anyMatch(e -> e.type().equals(MessageType.PING)));

            first.push(MessageType.AGENT_STATE, new AgentStatus("1001", AgentState.AVAILABLE, "", 3, Instant.now(),
                    null, null, "n1", List.of()));
            first.push(MessageType.QUEUE_FIGURES, new QueueFigures("sales", "Sales", 4, 60, 1, 0, 0, null, 0, 0));
            first.push("something.newer", "ignored by an older client");
            assertThat(next(events, "agent state")).isEqualTo(AgentState.AVAILABLE);
            assertThat(next(events, "queue figures")).isEqualTo("sales 4");

            first.mute(); // the node hangs: no pong, no FIN
            String drop = Await.value("the silent node is given up", Duration.ofSeconds(40),
                    () -> java.util.Optional.ofNullable(connections.poll()));
            assertThat(drop).isEqualTo("down " + first.httpUrl());
            String reconnected = next(connections, "reconnect");
            while (!reconnected.startsWith("up ")) {
                reconnected = next(connections, "reconnect");
            }
            assertThat(reconnected).isEqualTo("up " + second.httpUrl());
            second.push(MessageType.AGENT_STATE, new AgentStatus("1001", AgentState.NOT_READY, "Break", 4,
                    Instant.now(), null, null, "n2", List.of()));
            assertThat(next(events, "state from the second node")).isEqualTo(AgentState.NOT_READY);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aWrongTokenIsRefusedAndRetried() throws Exception {
        BlockingQueue<String> connections = new LinkedBlockingQueue<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (AgentWsServer node = new AgentWsServer(AgentApiServer.TOKEN);
             AgentSocket socket = new AgentSocket(List.of(URI.create(node.httpUrl())), "stolen", new AgentSocketListener() {
                 @Override
                 public void onConnection(boolean connected, String n) {
                     connections.add(connected ? "up" : "down");
                 }
             }, scheduler, Clock.systemUTC())) {
            socket.connect();
            assertThat(next(connections, "refused")).isEqualTo("down");
            assertThat(node.connected()).isFalse();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
