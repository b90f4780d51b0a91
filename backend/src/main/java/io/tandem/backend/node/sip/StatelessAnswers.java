package io.tandem.backend.node.sip;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The answers the node gave to requests it handles without a server transaction (REGISTER over UDP, answered the way
 * Kamailio's {@code sl_send_reply} does), each kept 64×T1 = 32 s so that a retransmission of the request gets the
 * same answer again instead of being handled a second time: what a non-INVITE server transaction does for it (RFC
 * 3261 §17.2.2, Timer J), kept as the encoded answer rather than the parsed request and response, and outside the
 * stack's transaction table, whose size the overload valve turns new work away at.
 *
 * <p>An in-dialog BYE over UDP is kept here too, although it is answered through the server transaction the stack
 * made for it (the stack's dialog must see its 200, RFC 3261 §15.1.2): once answered, that transaction is released
 * at once instead of after Timer J, and its retransmissions get the kept answer from here ({@link
 * SipFeature#releasedOnceAnswered()}).
 *
 * <p>A request is {@link #claim claimed} by its first copy before it is handled. A copy that arrives while the first
 * is still being handled is absorbed (§17.2.2: a server transaction in the Trying state discards retransmissions);
 * one that arrives later gets the stored answer. A request that ends unanswered is {@link First#release released}, so
 * that its next retransmission is handled afresh.
 *
 * <p>Bounded by {@code capacity}: past it the oldest answers are forgotten before their 32 s, and a retransmission that
 * comes after that is handled again (the registrar then answers it as a stale CSeq or a reused nonce-count, which the
 * client recovers from with a new request). Answers enter in the order they expire, so forgetting is a walk from the
 * head of one queue, done by one thread at a time; no thread of its own, no per-lookup scan.
 */
final class StatelessAnswers {

    /** 64×T1 (RFC 3261 §17.1.2.2 Timer F): a client retransmits a non-INVITE request for no longer than this. */
    static final Duration KEPT = Duration.ofSeconds(32);

    /**
     * What identifies a request's retransmissions: the top Via's branch and sent-by, and the method (RFC 3261
     * §17.2.3); Call-ID and CSeq as well, for a client whose branch is not unique (RFC 2543, no magic cookie).
     */
    record Key(String branch, String sentBy, String method, String callId, long cseq) {
    }

    /** What the node has seen of a request when a copy of it arrives. */
    sealed interface Seen permits First, InProgress, Answered {
    }

    /** An earlier copy is still being handled: this one is absorbed. */
    record InProgress() implements Seen {
    }

    /** An earlier copy was answered with {@code answer} (the encoded response): this one gets it again. */
    record Answered(String answer) implements Seen {
    }

    private static final InProgress IN_PROGRESS = new InProgress();

    /** One request seen; {@code answer} is null until it is answered. */
    private static final class Entry {
        final Key key;
        final long seenAt;
        volatile String answer;

        Entry(Key key, long seenAt) {
            this.key = key;
            this.seenAt = seenAt;
        }
    }

    private final Clock clock;
    private final int capacity;
    private final long keptMillis;
    private final Map<Key, Entry> byKey = new ConcurrentHashMap<>();
    /** Entries in the order they were claimed, which is the order they expire in. Polled under {@link #forgetting}. */
    private final Queue<Entry> byAge = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final ReentrantLock forgetting = new ReentrantLock();

    /** @param capacity answers kept at most; 0 keeps none (every retransmission is handled again) */
    StatelessAnswers(int capacity, Clock clock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 or more");
        }
        this.capacity = capacity;
        this.clock = clock;
        this.keptMillis = KEPT.toMillis();
    }

    /** The first copy of a request, to be handled: its answer is kept, or it is released unanswered. */
    final class First implements Seen {
        private final Entry entry;

        private First(Entry entry) {
            this.entry = entry;
        }

        /** Keeps {@code encoded} as the answer repeated to the request's retransmissions. */
        void answered(String encoded) {
            if (entry != null) {
                entry.answer = encoded;
            }
        }

        /** Whether {@link #answered} kept an answer (always false when nothing is kept: capacity 0). */
        boolean isAnswered() {
            return entry != null && entry.answer != null;
        }

        /** The request was not answered: its next retransmission is handled as a new request. */
        void release() {
            if (entry != null && entry.answer == null) {
                byKey.remove(entry.key, entry);
            }
        }
    }

    /**
     * Claims the request {@code key} for the copy that just arrived: {@link First} when no earlier copy is known (the
     * caller handles it, then says how it was answered), else what the earlier copy left.
     */
    Seen claim(Key key) {
        long now = clock.millis();
        forgetOld(now);
        if (capacity == 0) {
            return new First(null);
        }
        Entry fresh = new Entry(key, now);
        Entry earlier = byKey.putIfAbsent(key, fresh);
        while (earlier != null && earlier.seenAt + keptMillis <= now) {
            // Expired but not yet forgotten: this copy is a new request as far as anyone can tell.
            if (byKey.replace(key, earlier, fresh)) {
                earlier = null;
            } else {
                earlier = byKey.putIfAbsent(key, fresh);
            }
        }
        if (earlier != null) {
            String answer = earlier.answer;
            return answer == null ? IN_PROGRESS : new Answered(answer);
        }
        byAge.add(fresh);
        size.incrementAndGet();
        return new First(fresh);
    }

    /** Requests (answered or being handled) kept now. */
    int size() {
        return size.get();
    }

    /** Forgets what expired, and the oldest past {@code capacity}; one thread at a time, the others go on. */
    private void forgetOld(long now) {
        if (!forgetting.tryLock()) {
            return;
        }
        try {
            Entry head;
            while ((head = byAge.peek()) != null && (head.seenAt + keptMillis <= now || size.get() > capacity)) {
                byAge.poll();
                size.decrementAndGet();
                byKey.remove(head.key, head);
            }
        } finally {
            forgetting.unlock();
        }
    }
}
