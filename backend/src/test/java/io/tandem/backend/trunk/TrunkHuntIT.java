package io.tandem.backend.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.RedisProperties;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seized channel's place in the trunk's and the node's second ({@code trunk/seize.lua}) moves to when its INVITE
 * was sent ({@code trunk/sent.lua}), on a real Redis: the calls-per-second limits count from departure.
 */
class TrunkHuntIT {

    @RegisterExtension
    static final RedisServer server = new RedisServer();

    private static final String TENANT = "demo";
    private static final String NODE = "node-1";

    @Test
    void aSentInviteCountsFromItsDepartureAndAPlaceGivenBackIsNotTakenAgain() {
        try (Redis redis = Redis.connect(new RedisProperties(server.uri(), 0, Duration.ofSeconds(2), 100, 10_000));
                OwedWrites writes = new OwedWrites(100, new SimpleMeterRegistry())) {
            TrunkProperties properties = new TrunkProperties(Duration.ofSeconds(600), Duration.ofSeconds(30),
                    Duration.ofSeconds(4), 5, Duration.ofSeconds(30), Duration.ofMillis(20));
            Trunk trunk = new Trunk("a", "127.0.0.1", 5060, Trunk.Transport.UDP, Trunk.Authentication.ADDRESS,
                    List.of(), "", 10, 0, List.of("PCMU"),
                    new Trunk.CallerId(Trunk.CallerIdMode.PRESENTED, "+4930100"), 1, Trunk.State.IN_SERVICE, "");
            TrunkHealth health = new TrunkHealth(redis, writes, properties);
            String trunkAttempts = Keys.trunkAttempts(TENANT, "a");
            String nodeAttempts = Keys.outboundNodeAttempts(TENANT, NODE);

            Seizure late = hunt(redis, writes, health, trunk).next().orElseThrow();
            Seizure released = hunt(redis, writes, health, trunk).next().orElseThrow();
            // not sent yet: its place is held a window (1020 ms here) ahead, so it cannot leave the window before it
            // is sent, however late that is; scored with its microseconds, seizedAt is the whole ms
            assertThat(redis.commands().zscore(trunkAttempts, late.callId())).isGreaterThanOrEqualTo(
                    late.seizedAt() + 1020.0).isLessThan(late.seizedAt() + 1021.0);
            // as if seized 900 ms before its INVITE left: counted from the seizure it would leave the window early
            long seized = late.seizedAt() - 900;
            redis.commands().zadd(trunkAttempts, seized, late.callId());
            redis.commands().zadd(nodeAttempts, seized, late.callId());
            // a place already out of the window (or given back) stays out
            redis.commands().zrem(trunkAttempts, released.callId());
            redis.commands().zrem(nodeAttempts, released.callId());

            TrunkHunt hunt = hunt(redis, writes, health, trunk);
            hunt.sent(released);
            hunt.sent(late); // owed writes run in order: once this one shows, the first has run too
            Await.until("the INVITE's place counts from its sending", Duration.ofSeconds(30),
                    () -> redis.commands().zscore(nodeAttempts, late.callId()) >= late.seizedAt());
            assertThat(redis.commands().zscore(trunkAttempts, late.callId())).as("the trunk's second")
                    .isGreaterThanOrEqualTo((double) late.seizedAt());
            assertThat(redis.commands().zscore(trunkAttempts, released.callId())).as("given back").isNull();
            assertThat(redis.commands().zscore(nodeAttempts, released.callId())).as("given back").isNull();
        }
    }

    private static TrunkHunt hunt(Redis redis, OwedWrites writes, TrunkHealth health, Trunk trunk) {
        return new TrunkHunt(redis, writes, TENANT, NODE, "+4930555", List.of(new TrunkHunt.Candidate(trunk,
                "+4930100", null)), Duration.ofSeconds(4), 1020, OutboundLimits.NONE, health);
    }
}
