package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisConnectionException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OwedWritesTest {

    @Test
    void writesRunInTheOrderTheyWereOwedOffTheCallersThread() throws Exception {
        List<String> done = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        String caller = Thread.currentThread().getName();
        try (OwedWrites writes = new OwedWrites()) {
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
        try (OwedWrites writes = new OwedWrites()) {
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
        try (OwedWrites writes = new OwedWrites()) {
            writes.now("release", () -> threads.add(Thread.currentThread().getName()));
        }
        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }
}
