package io.tandem.callback.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryPushLedgerTest {

    private final PushKey key = new PushKey(PushKind.RING, "room-a", PushNetwork.APNS, "tok-1");

    @Test
    void aKeyStillInFlightIsNotSentTwice() {
        InMemoryPushLedger ledger = new InMemoryPushLedger(10);
        CompletableFuture<PushOutcome> inFlight = new CompletableFuture<>();
        AtomicInteger sends = new AtomicInteger();

        CompletableFuture<PushOutcome> first = ledger.once(key, () -> {
            sends.incrementAndGet();
            return inFlight;
        });
        CompletableFuture<PushOutcome> second = ledger.once(key, () -> {
            sends.incrementAndGet();
            return CompletableFuture.completedFuture(new PushOutcome.Failed("must not be sent"));
        });
        inFlight.complete(new PushOutcome.Accepted("apns-1"));

        assertThat(sends).hasValue(1);
        assertThat(second.join()).isEqualTo(first.join()).isEqualTo(new PushOutcome.Accepted("apns-1"));
    }

    @Test
    void pastItsCapacityTheOldestKeyIsForgotten() {
        InMemoryPushLedger ledger = new InMemoryPushLedger(1);
        PushKey other = new PushKey(PushKind.RING, "room-b", PushNetwork.APNS, "tok-1");
        AtomicInteger sends = new AtomicInteger();

        ledger.once(key, () -> accepted(sends));
        ledger.once(other, () -> accepted(sends));
        ledger.once(key, () -> accepted(sends));

        assertThat(sends).hasValue(3);
    }

    @Test
    void aFailureIsSharedWhileInFlightButARepeatAfterItTriesAgain() {
        InMemoryPushLedger ledger = new InMemoryPushLedger(10);
        CompletableFuture<PushOutcome> inFlight = new CompletableFuture<>();
        AtomicInteger sends = new AtomicInteger();

        CompletableFuture<PushOutcome> first = ledger.once(key, () -> {
            sends.incrementAndGet();
            return inFlight;
        });
        CompletableFuture<PushOutcome> during = ledger.once(key, () -> accepted(sends));
        inFlight.complete(new PushOutcome.Failed("connection refused"));
        PushOutcome after = ledger.once(key, () -> accepted(sends)).join();

        assertThat(during.join()).isEqualTo(first.join()).isEqualTo(new PushOutcome.Failed("connection refused"));
        assertThat(after).isEqualTo(new PushOutcome.Accepted("id-2"));
        assertThat(sends).hasValue(2);
    }

    @Test
    void refusalsAndDeadTokensAreKept() {
        InMemoryPushLedger ledger = new InMemoryPushLedger(10);
        AtomicInteger sends = new AtomicInteger();

        ledger.once(key, () -> {
            sends.incrementAndGet();
            return CompletableFuture.completedFuture(new PushOutcome.DeadToken("Unregistered"));
        });
        PushOutcome repeat = ledger.once(key, () -> accepted(sends)).join();

        assertThat(repeat).isEqualTo(new PushOutcome.DeadToken("Unregistered"));
        assertThat(sends).hasValue(1);
    }

    @Test
    void aSenderThatThrowsFailsTheFuture() {
        InMemoryPushLedger ledger = new InMemoryPushLedger(10);

        CompletableFuture<PushOutcome> outcome = ledger.once(key, () -> {
            throw new IllegalStateException("broken");
        });

        assertThat(outcome).isCompletedExceptionally();
    }

    private static CompletableFuture<PushOutcome> accepted(AtomicInteger sends) {
        return CompletableFuture.completedFuture(new PushOutcome.Accepted("id-" + sends.incrementAndGet()));
    }
}
