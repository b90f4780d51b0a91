package io.tandem.bench.telephony;

import io.tandem.bench.BenchSection;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import io.tandem.telephony.ua.UserAgentListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * SIP call set-up between two Tandem user agents over loopback UDP: INVITE with an SDP offer,
 * 180, 200 with the answer, ACK, RTP ports opened and started on both sides. Measured from
 * {@code call()} to the caller's CONNECTED event, one call at a time (latency) and as a burst of
 * simultaneous calls (set-ups per second the signalling threads sustain).
 */
public final class CallSetupSection implements BenchSection {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    public String title() {
        return "SIP call set-up, two user agents on loopback (INVITE to CONNECTED)";
    }

    @Override
    public String run(boolean quick) throws Exception {
        int sequential = quick ? 30 : 300;
        int burst = quick ? 20 : 100;
        Events callerEvents = new Events();
        Events calleeEvents = new Events();
        UserAgentConfig base = UserAgentConfig.of("bench", "tandem.bench");
        try (UserAgent callee = UserAgent.start(UserAgentConfig.of("callee", "tandem.bench").withAutoAnswer(true)
                .withRtpPorts(42000, 42999), calleeEvents);
             UserAgent caller = UserAgent.start(base.withRtpPorts(43000, 43999), callerEvents)) {
            String target = callee.contactUri("udp");
            // Warm-up: class loading, JIT of the SIP parser and our dispatch.
            runSequential(caller, target, callerEvents, quick ? 5 : 30);
            long[] setupNanos = runSequential(caller, target, callerEvents, sequential);

            long t0 = System.nanoTime();
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                calls.add(caller.call(target));
            }
            for (Call c : calls) {
                callerEvents.connected(c.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            long burstNanos = System.nanoTime() - t0;
            for (Call c : calls) {
                c.hangup();
                callerEvents.ended(c.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            return render(setupNanos, burst, burstNanos);
        }
    }

    private static long[] runSequential(UserAgent caller, String target, Events events, int n) throws Exception {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Call call = caller.call(target);
            events.connected(call.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            nanos[i] = System.nanoTime() - t0;
            call.hangup();
            events.ended(call.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            events.forget(call.id());
        }
        return nanos;
    }

    private static String render(long[] setupNanos, int burst, long burstNanos) {
        long[] sorted = setupNanos.clone();
        Arrays.sort(sorted);
        StringBuilder md = new StringBuilder();
        md.append("| measure | value |\n|---|---|\n");
        md.append(row("sequential calls", Integer.toString(sorted.length)));
        md.append(row("set-up p50", ms(percentile(sorted, 0.50))));
        md.append(row("set-up p95", ms(percentile(sorted, 0.95))));
        md.append(row("set-up p99", ms(percentile(sorted, 0.99))));
        md.append(row("set-up max", ms(sorted[sorted.length - 1])));
        md.append(row("burst of simultaneous calls", Integer.toString(burst)));
        md.append(row("burst: all connected after", ms(burstNanos)));
        md.append(row("burst: set-ups per second",
                String.format(Locale.ROOT, "%.0f", burst / (burstNanos / 1e9))));
        md.append("\nEach call opens an RTP port pair on both sides and is torn down with BYE before the next;"
                + " the burst places every INVITE at once, so it measures the signalling threads, not the network.\n");
        return md.toString();
    }

    private static String row(String name, String value) {
        return "| " + name + " | " + value + " |\n";
    }

    private static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** Futures per call id, completed from the user agent's event thread. */
    private static final class Events implements UserAgentListener {
        private final Map<String, CompletableFuture<Void>> connected = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<Void>> ended = new ConcurrentHashMap<>();

        CompletableFuture<Void> connected(String id) {
            return connected.computeIfAbsent(id, k -> new CompletableFuture<>());
        }

        void forget(String id) {
            connected.remove(id);
            ended.remove(id);
        }

        CompletableFuture<Void> ended(String id) {
            return ended.computeIfAbsent(id, k -> new CompletableFuture<>());
        }

        @Override
        public void onCallState(Call call, CallState state) {
            if (state == CallState.CONNECTED) {
                connected(call.id()).complete(null);
            } else if (state == CallState.ENDED) {
                connected(call.id()).complete(null);
                ended(call.id()).complete(null);
            }
        }
    }
}
