package io.tandem.backend.acd;

import io.tandem.telephony.testing.MutableClock;
import static io.tandem.backend.acd.AcdFixture.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Subscription;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An offer one node claims for another node's caller reaches the caller's node from the claim script itself, on
 * that node's offer channel, exactly once; the claiming node learns it was delivered and publishes nothing more.
 */
class OfferDeliveryIT {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    private static final Set<String> NODES = Set.of("n1", "n2");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final List<AcdFixture> nodes = new ArrayList<>();
    private final Queue<String> received = new ConcurrentLinkedQueue<>();
    private QueueDefinition queue;

    @BeforeEach
    void start() {
        for (String id : List.of("n1", "n2")) {
            nodes.add(new AcdFixture(redisServer.uri(), id, clock));
        }
        nodes.get(0).redis.commands().flushall();
        queue = Scenarios.queue("7000", Strategy.LONGEST_IDLE, "2001", "2002");
        nodes.get(0).queues.save(TENANT, queue, false);
        nodes.get(0).available("2001", "7000");
        nodes.get(1).available("2002", "7000");
    }

    @AfterEach
    void stop() {
        nodes.forEach(AcdFixture::close);
    }

    @Test
    void anotherNodesCallerIsPublishedByTheClaimAndMarkedDelivered() {
        try (Subscription n2 = Subscription.to(nodes.get(1).redis, Keys.nodeOffers("n2"), received::add)) {
            Await.until("n2 listens on its offer channel", Duration.ofSeconds(30),
                    () -> nodes.get(0).redis.commands().pubsubNumsub(Keys.nodeOffers("n2"))
                            .getOrDefault(Keys.nodeOffers("n2"), 0L) == 1);
            assertThat(nodes.get(1).enqueue("7000", "caller-of-n2", 0).ok()).isTrue();

            OfferGrant grant = nodes.get(0).claims.claim(TENANT, queue, NODES).orElseThrow();

            assertThat(grant.callerNode()).isEqualTo("n2");
            assertThat(grant.delivered()).isTrue();
            Await.until("n2 received the offer", Duration.ofSeconds(30), () -> !received.isEmpty());
            assertThat(received).hasSize(1);
            OfferGrant offer = OfferGrant.fromWire(received.peek());
            assertThat(offer.offerId()).isEqualTo(grant.offerId());
            assertThat(offer.tenant()).isEqualTo(TENANT);
            assertThat(offer.queue()).isEqualTo("7000");
            assertThat(offer.callId()).isEqualTo("caller-of-n2");
            assertThat(offer.callerNode()).isEqualTo("n2");
            assertThat(offer.leaseUntil()).isEqualTo(grant.leaseUntil());
            assertThat(offer.agents()).isEqualTo(grant.agents());
        }
    }

    @Test
    void aCallerOfTheClaimingNodeIsNotPublished() {
        try (Subscription n1 = Subscription.to(nodes.get(0).redis, Keys.nodeOffers("n1"), received::add)) {
            Await.until("n1 listens on its offer channel", Duration.ofSeconds(30),
                    () -> nodes.get(0).redis.commands().pubsubNumsub(Keys.nodeOffers("n1"))
                            .getOrDefault(Keys.nodeOffers("n1"), 0L) == 1);
            assertThat(nodes.get(0).enqueue("7000", "caller-of-n1", 0).ok()).isTrue();

            OfferGrant grant = nodes.get(0).claims.claim(TENANT, queue, NODES).orElseThrow();

            assertThat(grant.callerNode()).isEqualTo("n1");
            assertThat(grant.delivered()).isFalse();
            // a later publish on the same channel arrives after anything the claim could have published
            nodes.get(0).redis.commands().publish(Keys.nodeOffers("n1"), "marker");
            Await.until("the marker arrived", Duration.ofSeconds(30), () -> received.contains("marker"));
            assertThat(received).containsExactly("marker");
        }
    }

    @Test
    void anOfferNobodyReceivedIsLeftToTheClaimingNode() {
        assertThat(nodes.get(1).enqueue("7000", "caller-of-n2", 0).ok()).isTrue();

        OfferGrant grant = nodes.get(0).claims.claim(TENANT, queue, NODES).orElseThrow();

        assertThat(grant.callerNode()).isEqualTo("n2");
        assertThat(grant.delivered()).isFalse();
    }
}
