package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisConnectionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.telephony.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OwedWritesTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(OwedWrites.class);

    @BeforeEach
    void listen() {
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        log.detachAppender(logged);
    }

    @Test
    void writesRunInTheOrderTheyWereOwedOffTheCallersThread() throws Exception {
        List<String> done = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        String caller = Thread.currentThread().getName();
        try (OwedWrites writes = new OwedWrites(100, metrics)) {
            writes.once("field", () -> { done.add("put on " + Thread.currentThread().getName()); all.countDown(); });
            writes.owe("remove", () -> { done.add("remove"); all.countDown(); });
            writes.owe("record", () -> { done.add("record"); all.countDown(); });
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(done).containsExactly("put on tandem-owed-writes", "remove", "record");
        assertThat(done.get(0)).doesNotContain(caller);
    }

    @Test
    void aWriteOwedWhileRedisIsAwayIsRetriedUntilItIsBack() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch written = new CountDownLatch(1);
        try (OwedWrites writes = new OwedWrites(100, metrics)) {
            writes.owe("record", () -> {
                if (attempts.incrementAndGet() < 3) {
                    throw new RedisConnectionException("Connection refused");
                }
                written.countDown();
            });
            assertThat(written.await(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(attempts).hasValue(3);
    }

    @Test
    void nowRunsOnTheCallersThreadWhenRedisIsThere() {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (OwedWrites writes = new OwedWrites(100, metrics)) {
            writes.now("release", () -> threads.add(Thread.currentThread().getName()));
        }
        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }

    /** Redis away: each write waits out the command timeout, and the node owes faster than it pays. */
    @Test
    void oneWriteMoreThanTheLimitIsDroppedWithAWarningThatNamesItAndACount() throws Exception {
        CountDownLatch redisBack = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();
        CountDownLatch both = new CountDownLatch(2);
        try (OwedWrites writes = new OwedWrites(2, metrics)) {
            writes.owe("end of 1051's call", () -> {
                blocking.countDown();
                await(redisBack);
                done.add("end of 1051's call");
                both.countDown();
            });
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            writes.owe("record of call-2", () -> { done.add("record of call-2"); both.countDown(); });
            assertThat(writes.owed()).isEqualTo(2);

            writes.owe("record of call-3", () -> done.add("record of call-3"));
            writes.once("call field of call-4", () -> done.add("call field of call-4"));

            assertThat(metrics.counter("tandem.redis.owed.dropped").count()).isEqualTo(2.0);
            assertThat(warnings()).anyMatch(w -> w.contains("record of call-3") && w.contains("dropped"))
                    .anyMatch(w -> w.contains("call field of call-4") && w.contains("dropped"));
            redisBack.countDown();
            assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(done).containsExactly("end of 1051's call", "record of call-2");
    }

    @Test
    void aPlaceFreesOnceItsWriteIsWritten() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        try (OwedWrites writes = new OwedWrites(1, metrics)) {
            writes.owe("first", first::countDown);
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            awaitOwed(writes, 0);
            writes.owe("second", second::countDown);
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(metrics.counter("tandem.redis.owed.dropped").count()).isZero();
    }

    /** A write tried on the caller's thread takes a place only to wait for its retry; it keeps it until written. */
    @Test
    void aWriteWaitingForItsRetryHoldsItsPlace() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch written = new CountDownLatch(1);
        try (OwedWrites writes = new OwedWrites(1, metrics)) {
            writes.now("end of 1052's call", () -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new RedisConnectionException("Connection refused");
                }
                written.countDown();
            });
            assertThat(writes.owed()).isEqualTo(1);
            writes.now("end of 1053's call", () -> {
                throw new RedisConnectionException("Connection refused");
            });
            assertThat(metrics.counter("tandem.redis.owed.dropped").count()).isEqualTo(1.0);
            assertThat(warnings()).anyMatch(w -> w.contains("end of 1053's call") && w.contains("dropped"));

            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            awaitOwed(writes, 0);
        }
        assertThat(attempts).hasValue(2);
    }

    @Test
    void theLimitIsValidatedWhereItIsConfigured() {
        assertThatThrownBy(() -> new RedisProperties("", 0, Duration.ofSeconds(5), 100, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tandem.redis.owed-writes-limit");
        assertThat(new RedisProperties("", 0, Duration.ofSeconds(5), 100, 1).owedWritesLimit()).isEqualTo(1);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the writes' thread to give back the places of the writes it finished. */
    private static void awaitOwed(OwedWrites writes, int owed) throws InterruptedException {
        Await.until("owed writes down to " + owed, Duration.ofSeconds(30), () -> writes.owed() == owed);
    }
}
