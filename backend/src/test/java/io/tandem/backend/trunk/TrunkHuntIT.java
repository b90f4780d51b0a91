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
            Trunk trunk = trunk("a");
            TrunkHealth health = new TrunkHealth(redis, writes, properties(Duration.ofSeconds(8)));
            String trunkAttempts = Keys.trunkAttempts(TENANT, "a");
            String nodeAttempts = Keys.outboundNodeAttempts(TENANT, NODE);

            Seizure late = hunt(redis, writes, health, trunk).next().orElseThrow();
            Seizure released = hunt(redis, writes, health, trunk).next().orElseThrow();
            // not sent yet: its place is held the send deadline and a window (8,000 + 1,020 ms here) ahead, so it
            // cannot leave the window before it is sent, however late that is up to the deadline; scored with its
            // microseconds, seizedAt is the whole ms
            assertThat(redis.commands().zscore(trunkAttempts, late.callId())).isGreaterThanOrEqualTo(
                    late.seizedAt() + 9020.0).isLessThan(late.seizedAt() + 9021.0);
            assertThat(redis.commands().zscore(nodeAttempts, late.callId())).isGreaterThanOrEqualTo(
                    late.seizedAt() + 9020.0).isLessThan(late.seizedAt() + 9021.0);
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

    /**
     * An INVITE not sent by its send deadline is not sent at all: its channel is given back and its place, held ahead
     * until then, counts from the give-back, so it neither bunches with later INVITEs at the carrier (it never leaves)
     * nor holds its slot for the rest of the hold. An INVITE given back after it was sent keeps its departure's place.
     */
    @Test
    void anInviteLateForItsSendDeadlineIsGivenBackAndItsPlaceCountsFromThen() {
        try (Redis redis = Redis.connect(new RedisProperties(server.uri(), 0, Duration.ofSeconds(2), 100, 10_000));
                OwedWrites writes = new OwedWrites(100, new SimpleMeterRegistry())) {
            TrunkProperties properties = properties(Duration.ofSeconds(1));
            Trunk trunk = trunk("b");
            TrunkHealth health = new TrunkHealth(redis, writes, properties);
            String trunkAttempts = Keys.trunkAttempts(TENANT, "b");
            String nodeAttempts = Keys.outboundNodeAttempts(TENANT, NODE);
            String channels = Keys.trunkChannels(TENANT, "b");
            Duration deadline = properties.sendDeadline();
            // a long CAPS window, so that the hold (deadline and window) is far beyond the give-back however loaded
            long window = 30_000;

            TrunkHunt lateHunt = hunt(redis, writes, health, trunk, window, deadline);
            Seizure late = lateHunt.next().orElseThrow();
            TrunkHunt sentHunt = hunt(redis, writes, health, trunk, window, deadline);
            Seizure sent = sentHunt.next().orElseThrow();
            assertThat(sentHunt.sendable(sent)).as("an INVITE in time").isTrue();
            sentHunt.sent(sent);
            Await.until("the sent INVITE's place at its departure", Duration.ofSeconds(30),
                    () -> redis.commands().zscore(trunkAttempts, sent.callId()) < sent.seizedAt() + window);
            double departure = redis.commands().zscore(trunkAttempts, sent.callId());
            sentHunt.release(sent);

            Await.until("the send deadline passed", Duration.ofSeconds(30),
                    () -> System.nanoTime() - late.seizedNanos() > deadline.toNanos());
            assertThat(lateHunt.sendable(late)).as("an INVITE past its send deadline").isFalse();
            Await.until("the late seizure's channel given back", Duration.ofSeconds(30),
                    () -> !redis.commands().hexists(channels, late.callId()));
            double givenBack = redis.commands().zscore(trunkAttempts, late.callId());
            assertThat(givenBack).as("its place counts from the give-back, not held on for the rest of its hold")
                    .isLessThan(late.seizedAt() + (double) deadline.toMillis() + window)
                    .isGreaterThan((double) late.seizedAt());
            assertThat(redis.commands().zscore(nodeAttempts, late.callId())).as("the node's second too")
                    .isEqualTo(givenBack);
            assertThat(redis.commands().hexists(channels, sent.callId())).as("the sent one's channel given back")
                    .isFalse();
            assertThat(redis.commands().zscore(trunkAttempts, sent.callId())).as("the sent one keeps its departure")
                    .isEqualTo(departure);
        }
    }

    private static TrunkProperties properties(Duration sendDeadline) {
        return new TrunkProperties(Duration.ofSeconds(600), Duration.ofSeconds(30), Duration.ofSeconds(4), 5,
                Duration.ofSeconds(30), Duration.ofMillis(20), sendDeadline);
    }

    /** An address-authenticated trunk of CAPS 10, channels unlimited. */
    private static Trunk trunk(String id) {
        return new Trunk(id, "127.0.0.1", 5060, Trunk.Transport.UDP, Trunk.Authentication.ADDRESS, List.of(), "", 10,
                0, List.of("PCMU"), new Trunk.CallerId(Trunk.CallerIdMode.PRESENTED, "+4930100"), 1,
                Trunk.State.IN_SERVICE, "");
    }

    private static TrunkHunt hunt(Redis redis, OwedWrites writes, TrunkHealth health, Trunk trunk) {
        return hunt(redis, writes, health, trunk, 1020, Duration.ofSeconds(8));
    }

    private static TrunkHunt hunt(Redis redis, OwedWrites writes, TrunkHealth health, Trunk trunk, long capsWindow,
            Duration sendDeadline) {
        return new TrunkHunt(redis, writes, TENANT, NODE, "+4930555", List.of(new TrunkHunt.Candidate(trunk,
                "+4930100", null)), Duration.ofSeconds(4), capsWindow, sendDeadline, OutboundLimits.NONE, health);
    }
}
