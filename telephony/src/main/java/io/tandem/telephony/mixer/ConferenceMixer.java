package io.tandem.telephony.mixer;

import io.tandem.telephony.media.AudioFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An audio conference: every party hears the others ("N−1 mix"). Each {@link #tick()} mixes
 * one 20 ms frame: all audible contributions are summed once, and each party's output is that
 * sum minus its own voice (plus whatever is whispered to it), clamped to 16 bits. The cost is
 * O(parties) per tick, not O(parties²).
 *
 * <p>The media clock belongs to the RTP engine, which calls {@code tick()} every 20 ms; a mixer
 * used without one can drive itself with {@link #start()}.
 *
 * <p>Threading: joins and leaves replace a copy-on-write array of parties under
 * {@code membershipLock}; the tick reads that (volatile) array once, so membership changes
 * take effect at the next tick. Ticks are serialised by {@code tickLock}, which also guards
 * the scratch buffers, so a tick allocates nothing.
 */
public final class ConferenceMixer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConferenceMixer.class);
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    private static final Party[] NONE = new Party[0];
    /** Default bound on members; a conference bigger than this is a configuration error. */
    public static final int DEFAULT_MAX_PARTIES = 1000;

    private final String name;
    private final int maxParties;
    private final Object membershipLock = new Object();
    /** Published copy-on-write; replaced under {@link #membershipLock}. */
    private volatile Party[] parties = NONE;

    private final Object tickLock = new Object();
    /** Guarded by tickLock. */
    private final int[] total = new int[N];
    /** Guarded by tickLock. */
    private final int[] mix = new int[N];
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong tickFailures = new AtomicLong();

    /** Guarded by membershipLock. */
    private ScheduledExecutorService ownClock;
    /** Guarded by membershipLock. */
    private ScheduledFuture<?> clockTask;
    private volatile boolean closed;

    public ConferenceMixer(String name) {
        this(name, DEFAULT_MAX_PARTIES);
    }

    public ConferenceMixer(String name, int maxParties) {
        if (maxParties < 1) {
            throw new IllegalArgumentException("maxParties must be positive: " + maxParties);
        }
        this.name = name;
        this.maxParties = maxParties;
    }

    public String name() {
        return name;
    }

    /** Adds a party (a speaker, unmuted). Throws when the id is taken, the room is full or closed. */
    public Party join(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a party needs an id");
        }
        synchronized (membershipLock) {
            if (closed) {
                throw new IllegalStateException("conference " + name + " is closed");
            }
            Party[] current = parties;
            if (current.length >= maxParties) {
                throw new IllegalStateException("conference " + name + " is full (" + maxParties + " parties)");
            }
            for (Party p : current) {
                if (p.id().equals(id)) {
                    throw new IllegalArgumentException("party " + id + " is already in conference " + name);
                }
            }
            Party party = new Party(id, this);
            Party[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = party;
            parties = next;
            return party;
        }
    }

    void remove(Party party) {
        synchronized (membershipLock) {
            Party[] current = parties;
            int at = -1;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == party) {
                    at = i;
                    break;
                }
            }
            party.markLeft();
            if (at < 0) {
                return;
            }
            Party[] next = new Party[current.length - 1];
            System.arraycopy(current, 0, next, 0, at);
            System.arraycopy(current, at + 1, next, at, current.length - at - 1);
            parties = next;
        }
    }

    /** The current members, in joining order. */
    public List<Party> parties() {
        return List.of(parties);
    }

    public int size() {
        return parties.length;
    }

    /** Ticks run so far. */
    public long ticks() {
        return ticks.get();
    }

    /**
     * Mixes one 20 ms frame: takes every party's latest input (silence for a party that sent
     * nothing since the last tick) and queues each party's mix on its output.
     */
    public void tick() {
        synchronized (tickLock) {
            Party[] ps = parties;
            int[] sum = total;
            Arrays.fill(sum, 0);
            for (Party p : ps) {
                p.beginTick();
                if (p.contributes) {
                    int[] in = p.in;
                    for (int i = 0; i < N; i++) {
                        sum[i] += in[i];
                    }
                }
            }
            // Whispers go to their target only. Targets are resolved before the outputs are
            // built, so the order of parties in the array does not matter.
            for (Party w : ps) {
                Party target = w.whisperTargetThisTick;
                if (target == null) {
                    continue;
                }
                int[] extra = target.extra;
                int[] in = w.in;
                if (target.hasExtra) {
                    for (int i = 0; i < N; i++) {
                        extra[i] += in[i];
                    }
                } else {
                    System.arraycopy(in, 0, extra, 0, N);
                    target.hasExtra = true;
                }
            }
            int[] out = mix;
            for (Party p : ps) {
                if (p.contributes) {
                    int[] in = p.in;
                    for (int i = 0; i < N; i++) {
                        out[i] = sum[i] - in[i];
                    }
                } else {
                    System.arraycopy(sum, 0, out, 0, N);
                }
                if (p.hasExtra) {
                    int[] extra = p.extra;
                    for (int i = 0; i < N; i++) {
                        out[i] += extra[i];
                    }
                }
                p.publishMix(out);
            }
            ticks.incrementAndGet();
        }
    }

    /** Drives the mixer from its own clock thread, one tick every 20 ms, until {@link #close()}. */
    public void start() {
        synchronized (membershipLock) {
            if (closed) {
                throw new IllegalStateException("conference " + name + " is closed");
            }
            if (clockTask != null) {
                return;
            }
            ownClock = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mixer-" + name);
                t.setDaemon(true);
                return t;
            });
            clockTask = ownClock.scheduleAtFixedRate(this::clockedTick,
                    AudioFrames.FRAME_MILLIS, AudioFrames.FRAME_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Drives the mixer from a caller's scheduler (not shut down by {@link #close()}). */
    public void start(ScheduledExecutorService clock) {
        synchronized (membershipLock) {
            if (closed) {
                throw new IllegalStateException("conference " + name + " is closed");
            }
            if (clockTask != null) {
                return;
            }
            clockTask = clock.scheduleAtFixedRate(this::clockedTick,
                    AudioFrames.FRAME_MILLIS, AudioFrames.FRAME_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** A scheduled task that throws is never run again, so a failing tick is counted and logged, not thrown. */
    private void clockedTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            long n = tickFailures.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.error("conference {}: tick failed ({} failures so far)", name, n, e);
            }
        }
    }

    /** Stops the clock (if any) and removes every party. Idempotent. */
    @Override
    public void close() {
        List<Party> left = new ArrayList<>();
        synchronized (membershipLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (clockTask != null) {
                clockTask.cancel(false);
                clockTask = null;
            }
            if (ownClock != null) {
                ownClock.shutdown();
                ownClock = null;
            }
            left.addAll(List.of(parties));
            parties = NONE;
        }
        left.forEach(Party::markLeft);
    }

    @Override
    public String toString() {
        return "ConferenceMixer[" + name + ", " + parties.length + " parties]";
    }
}
