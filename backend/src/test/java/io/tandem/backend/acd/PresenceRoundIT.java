package io.tandem.backend.acd;

import static io.tandem.backend.acd.AcdFixture.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.testing.Await;
import io.tandem.backend.acd.agents.Presence;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.registrar.Bindings;
import io.tandem.protocol.AgentState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The presence check of a tenant runs on one node per round: the others skip it until the round's lease in Redis
 * runs out, and then one of them checks again. Agents unseen for the grace (30 s here, on the fake clock) and without
 * a SIP binding are logged out by whichever node holds the round.
 */
class PresenceRoundIT extends TwoAcdNodes {

    private Presence presence(AcdFixture node) {
        return new Presence(node.sessions, new Bindings(node.redis, new NodeRegistry(node.redis), clock),
                AcdFixture.properties(), node.scripts);
    }

    @Test
    void oneNodeChecksPerRoundAndAnotherTakesTheNextRound() throws InterruptedException {
        Presence p1 = presence(n1);
        Presence p2 = presence(n2);
        n1.sessions.login(TENANT, "1001", List.of());
        clock.advance(Duration.ofSeconds(31));
        p1.sweep(TENANT);
        assertThat(n1.sessions.status(TENANT, "1001").state()).isEqualTo(AgentState.LOGGED_OUT);

        n2.sessions.login(TENANT, "1002", List.of());
        clock.advance(Duration.ofSeconds(31));
        p2.sweep(TENANT); // node 1 holds this round: node 2 reads nothing
        assertThat(n2.sessions.status(TENANT, "1002").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(n1.redis.commands().get(io.tandem.backend.redis.Keys.presenceRound(TENANT))).isEqualTo("n1");

        Await.until("node 2 checks once node 1's round is over", Duration.ofSeconds(30), () -> {
            p2.sweep(TENANT);
            return n2.sessions.status(TENANT, "1002").state() == AgentState.LOGGED_OUT;
        });
    }

    @Test
    void anAgentSeenWithinTheGraceStaysLoggedIn() {
        Presence p1 = presence(n1);
        n1.sessions.login(TENANT, "1003", List.of());
        clock.advance(Duration.ofSeconds(20));
        n1.sessions.seen(TENANT, "1003");
        clock.advance(Duration.ofSeconds(20));
        p1.sweep(TENANT);
        assertThat(n1.sessions.status(TENANT, "1003").state()).isEqualTo(AgentState.NOT_READY);
    }

    @Test
    void aNodeMarksAllItsSocketsSeenInBatchesAndOnlyAgentsWithASession() {
        Presence p1 = presence(n1);
        List<String> agents = new java.util.ArrayList<>();
        for (int i = 0; i < 1_200; i++) { // more than two of the script's batches
            String id = "2" + i;
            agents.add(id);
            n1.sessions.login(TENANT, id, List.of());
            p1.opened(TENANT, id);
        }
        p1.opened(TENANT, "9999"); // a socket whose session is gone meanwhile
        clock.advance(Duration.ofSeconds(20));
        p1.refresh();
        clock.advance(Duration.ofSeconds(20));
        p1.sweep(TENANT);
        assertThat(n1.redis.commands().get(io.tandem.backend.redis.Keys.presenceRound(TENANT))).isEqualTo("n1");
        assertThat(agents).allMatch(id -> n1.sessions.status(TENANT, id).state() == AgentState.NOT_READY);
        assertThat(n1.redis.commands().exists(io.tandem.backend.redis.Keys.agent(TENANT, "9999"))).isZero();
    }
}
