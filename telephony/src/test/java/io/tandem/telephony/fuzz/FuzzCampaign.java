package io.tandem.telephony.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Runs one parser over {@code mutations} inputs from a seeded {@link Mutator}, counting what the node would do with
 * each and collecting findings: any {@link Throwable} the parser lets out, and any input it spends longer than the
 * hang limit on. The parse runs on a worker thread the calling thread watches; a worker stuck past the limit is
 * abandoned (its input recorded as a hang) and a new one, with a fresh parser, carries on from the next input.
 */
public final class FuzzCampaign {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long seed;
    private final Duration hangLimit;

    public FuzzCampaign(long seed, Duration hangLimit) {
        this.seed = seed;
        this.hangLimit = hangLimit;
    }

    /** One kind of misbehaviour, its first input (replayed by seed and index) and how often it happened. */
    public record Finding(String problem, long index, String shape, byte[] input, long occurrences) {
    }

    public record Result(String target, int seeds, long mutations, long accepted, long rejected, long dropped,
                         List<Finding> findings, Duration elapsed, Duration cpu) {
        public long findingCount() {
            return findings.stream().mapToLong(Finding::occurrences).sum();
        }
    }

    public Result run(Supplier<FuzzTarget> targets, long mutations) throws InterruptedException {
        FuzzTarget first = targets.get();
        Mutator mutator = new Mutator(seed, first.seeds(), first.binary());
        Progress progress = new Progress(mutations);
        long start = System.nanoTime();
        Worker worker = new Worker(first, mutator, progress);
        List<Worker> workers = new ArrayList<>(List.of(worker));
        worker.thread.start();
        long pollMillis = Math.max(1, hangLimit.toMillis() / 4);
        while (true) {
            worker.thread.join(pollMillis);
            if (!worker.thread.isAlive()) {
                break;
            }
            long started = worker.startedNanos;
            if (started != 0 && System.nanoTime() - started > hangLimit.toNanos()) {
                long index = worker.index;
                worker.abandoned = true;
                progress.finding("hang: no result within " + hangLimit.toMillis() + " ms", index,
                        mutator.mutate(index));
                worker = new Worker(targets.get(), mutator, progress);
                workers.add(worker);
                worker.thread.start();
            }
        }
        long cpu = workers.stream().mapToLong(w -> w.cpuNanos).sum();
        return new Result(first.name(), first.seeds().size(), mutations, progress.counts[0].sum(),
                progress.counts[1].sum(), progress.counts[2].sum(), progress.findings(),
                Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(cpu));
    }

    /** Shared between the workers of one campaign. */
    private static final class Progress {
        final long mutations;
        final AtomicLong next = new AtomicLong();
        final LongAdder[] counts = {new LongAdder(), new LongAdder(), new LongAdder()};
        // guarded by itself: first input and count per problem, in the order found
        private final Map<String, Finding> findings = new LinkedHashMap<>();

        Progress(long mutations) {
            this.mutations = mutations;
        }

        void finding(String problem, long index, Mutator.Mutation mutation) {
            synchronized (findings) {
                findings.merge(problem, new Finding(problem, index, mutation.shape(), mutation.bytes(), 1),
                        (old, fresh) -> new Finding(old.problem(), old.index(), old.shape(), old.input(),
                                old.occurrences() + 1));
            }
        }

        List<Finding> findings() {
            synchronized (findings) {
                return List.copyOf(findings.values());
            }
        }
    }

    private static final class Worker implements Runnable {
        final Thread thread;
        private final FuzzTarget target;
        private final Mutator mutator;
        private final Progress progress;
        volatile long startedNanos;
        volatile long index;
        volatile boolean abandoned;
        volatile long cpuNanos;

        Worker(FuzzTarget target, Mutator mutator, Progress progress) {
            this.target = target;
            this.mutator = mutator;
            this.progress = progress;
            this.thread = new Thread(this, "fuzz-" + target.name());
            // an abandoned worker may never return from its parse; it must not keep the JVM alive
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            for (long i = progress.next.getAndIncrement(); i < progress.mutations && !abandoned;
                 i = progress.next.getAndIncrement()) {
                Mutator.Mutation mutation = mutator.mutate(i);
                index = i;
                startedNanos = System.nanoTime();
                ParseOutcome outcome;
                try {
                    outcome = target.parse(mutation.bytes());
                } catch (Throwable t) {
                    // Errors too: a StackOverflowError or an OutOfMemoryError on a crafted length is a finding.
                    if (!abandoned) {
                        progress.finding(signature(t), i, mutation);
                    }
                    startedNanos = 0;
                    continue;
                }
                startedNanos = 0;
                if (!abandoned) {
                    progress.counts[outcome.ordinal()].increment();
                }
            }
            cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
        }
    }

    /** The exception type, its message's first line and the frame that threw it: one line per kind of bug. */
    static String signature(Throwable t) {
        String message = String.valueOf(t.getMessage());
        int nl = message.indexOf('\n');
        if (nl >= 0) {
            message = message.substring(0, nl);
        }
        // quoted input and numbers vary from input to input; the kind of bug does not
        message = message.replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "N");
        if (message.length() > 100) {
            message = message.substring(0, 100) + "...";
        }
        StackTraceElement[] trace = t.getStackTrace();
        String at = trace.length == 0 ? "?" : trace[0].getClassName() + "." + trace[0].getMethodName();
        return t.getClass().getName() + ": " + message + " at " + at;
    }
}
