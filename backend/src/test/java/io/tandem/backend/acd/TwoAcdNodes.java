package io.tandem.backend.acd;

import io.tandem.telephony.testing.MutableClock;
import io.tandem.telephony.testing.RedisServer;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes' ACD objects on one real Redis (emptied before each test) and one controlled clock: the base of the
 * tests that script transitions on fake time and check that either node sees the same.
 */
abstract class TwoAcdNodes {

    @RegisterExtension
    static final RedisServer redisServer = new RedisServer();

    static final Set<String> ALIVE = Set.of("n1", "n2");
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    AcdFixture n1;
    AcdFixture n2;

    @BeforeEach
    void startNodes() {
        n1 = new AcdFixture(redisServer.uri(), "n1", clock);
        n2 = new AcdFixture(redisServer.uri(), "n2", clock);
        n1.redis.commands().flushall();
    }

    @AfterEach
    void stopNodes() {
        n2.close();
        n1.close();
    }
}
