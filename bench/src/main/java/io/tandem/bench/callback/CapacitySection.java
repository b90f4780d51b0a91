package io.tandem.bench.callback;

import io.tandem.backend.redis.Keys;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.bench.BenchSection;
import io.tandem.bench.node.LoopbackPorts;
import io.tandem.bench.node.SippCalls;
import io.tandem.callback.MockApns;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.RoomEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Issue 15's capacity figures: how many parked callers one node holds with music on hold and position / wait
 * announcements, the node's CPU per parked caller, and the pushes per second one callback service instance sends
 * while they park. SIPp calls one parking queue at a fixed rate, each call streaming G.711 to the node and held
 * until all are parked and a measuring window is over; every park wakes the queue's sleeping members, who never
 * answer.
 */
final class CapacitySection implements BenchSection {

    static final String QUEUE = "7800";
    /** Sleeping members of the queue: pushes per park. */
    static final int MEMBERS = 10;
    private static final int RATE = 20;
    private static final int FULL_CALLERS = 500;
    private static final int QUICK_CALLERS = 100;
    private static final long FULL_WINDOW_MS = 30_000;
    private static final long QUICK_WINDOW_MS = 10_000;
    /** Announcements of the parking queues: first after 5 s, every 10 s. */
    static final int FIRST_ANNOUNCEMENT = 5;
    static final int ANNOUNCEMENT_EVERY = 10;

    private final CallbackCluster cluster;
    private final Path work;
    private final int firstMember;

    /** Callers to park; 0 = the default of the mode (500, quick 100). */
    private final int callersWanted;

    CapacitySection(CallbackCluster cluster, Path work, int firstMember, int callers) {
        this.callersWanted = callers;
        this.cluster = cluster;
        this.work = work;
        this.firstMember = firstMember;
    }

    static String queueYaml(int firstMember) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(firstMember + i);
        }
        return CallbackBench.parkingQueue(QUEUE, "capacity", members, 900);
    }

    @Override
    public String title() {
        return "Parked callers one node holds, and pushes one service instance sends";
    }

    @Override
    public String run(boolean quick) throws Exception {
        String loadBefore = CallbackBench.loadAverage();
        int callers = callersWanted > 0 ? callersWanted : quick ? QUICK_CALLERS : FULL_CALLERS;
        long window = quick ? QUICK_WINDOW_MS : FULL_WINDOW_MS;
        List<SleepingDevice> devices = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                SleepingDevice device = new SleepingDevice(firstMember + i, cluster.sipPort());
                devices.add(device);
                device.register();
                tokens.add(device.token());
            }
            int pushesBefore = cluster.apns().accepted().size();
            SippCalls sipp = new SippCalls(work.resolve("sipp"), cluster.sipPort());
            int uacPort = LoopbackPorts.udpAndTcp();
            long rampMillis = callers * 1000L / RATE;
            // every call is held past the ramp, the settling of the last parks and the measuring window
            long hold = rampMillis + window + 15_000;
            long nodeStart = cluster.nodeCpuTicks();
            long serviceStart = cluster.serviceCpuTicks();
            long redisStart = cluster.redisCpuTicks();
            long started = System.currentTimeMillis();
            CompletableFuture<SippCalls.Run> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return sipp.call("parked", uacPort, RATE, callers, hold, true, QUEUE);
                } catch (Exception e) {
                    throw new IllegalStateException("SIPp: " + e.getMessage(), e);
                }
            });
            long allParkedBy = started + rampMillis + 10_000;
            long parked = 0;
            while (System.currentTimeMillis() < allParkedBy && !run.isDone()) {
                parked = parkedNow();
                if (parked >= callers) {
                    break;
                }
                Thread.sleep(200); // sampling a count while SIPp ramps up: there is nothing to wait on
            }
            long parkedAtWindow = parkedNow();
            long windowNode = cluster.nodeCpuTicks();
            long windowAnnouncements = cluster.announcementsPlayed();
            long windowStart = System.currentTimeMillis();
            long leastParked = parkedAtWindow;
            while (System.currentTimeMillis() < windowStart + window && !run.isDone()) {
                Thread.sleep(500); // the measuring window: CPU is read at its two ends
                leastParked = Math.min(leastParked, parkedNow());
            }
            long windowTicks = cluster.nodeCpuTicks() - windowNode;
            long announced = windowAnnouncements < 0 ? -1 : cluster.announcementsPlayed() - windowAnnouncements;
            double windowSeconds = (System.currentTimeMillis() - windowStart) / 1000.0;
            SippCalls.Run done = run.get(hold / 1000 + 600, TimeUnit.SECONDS);
            long nodeTicks = cluster.nodeCpuTicks() - nodeStart;
            long serviceTicks = cluster.serviceCpuTicks() - serviceStart;
            long redisTicks = cluster.redisCpuTicks() - redisStart;
            double runSeconds = (System.currentTimeMillis() - started) / 1000.0;
            List<MockApns.Push> pushes = cluster.apns().accepted().subList(pushesBefore,
                    cluster.apns().accepted().size()).stream().filter(p -> tokens.contains(p.token())).toList();
            Latencies toPush = new Latencies();
            Map<String, Long> parkedAt = new HashMap<>();
            for (StreamMessage<String, String> m : cluster.redis().xrange(CallbackKeys.roomEvents(
                    CallbackCluster.TENANT), Range.create("-", "+"))) {
                RoomEvent e = RoomEvent.of(m.getBody());
                if (e.kind() == RoomEvent.Kind.PARKED && QUEUE.equals(e.queue())) {
                    parkedAt.put(e.room(), e.at());
                }
            }
            pushes.stream().filter(p -> "ring".equals(p.kind()) && parkedAt.containsKey(p.room()))
                    .forEach(p -> toPush.add(p.acceptedAt() - parkedAt.get(p.room())));
            return render(toPush, new Result(callers, done, parkedAtWindow, leastParked, windowTicks, announced,
                    windowSeconds,
                    nodeTicks, serviceTicks, redisTicks, runSeconds, pushes), loadBefore,
                    CallbackBench.loadAverage());
        } finally {
            SleepingDevice.closeAll(devices);
        }
    }

    private long parkedNow() {
        return cluster.redis().zcard(Keys.queueParked(CallbackCluster.TENANT, QUEUE));
    }

    private record Result(int callers, SippCalls.Run run, long parkedAtWindow, long leastParked, long windowTicks,
            long announced, double windowSeconds, long nodeTicks, long serviceTicks, long redisTicks, double runSeconds,
            List<MockApns.Push> pushes) {
    }

    private static String render(Latencies toPush, Result r, String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "SIPp (`call-uac.xml` of the node bench, digest, G.711 u-law streamed "
                + "to the node with `rtp_stream` for the whole call) places %,d calls at %d/s to queue %s, which "
                + "parks every caller at once (no member is available): the node opens a room per caller, plays "
                + "the park prompt, then music on hold (`/usr/share/asterisk/moh`) with position and wait "
                + "announcements (first after %d s, every %d s, the Allison prompts) until the caller hangs up. "
                + "Every call is held until the ramp, the settling of the last parks and a %.0f s measuring window "
                + "are over, then SIPp sends BYE. *Parked* is the queue's parked rooms in Redis "
                + "(`q:%s:parked`, which the rooms leave when they close). Each park makes the callback service "
                + "push a ring to the queue's %d sleeping members (push bindings, never answering), so pushes are "
                + "offered at up to %d/s. CPU is the node JVM's user + system time from `/proc/<pid>/stat`. Load "
                + "average (1/5/15 min) at the start: %s; at the end: %s; the machine's 2 cores are shared with "
                + "other engineers' builds and tests.%n%n", r.callers(), RATE, QUEUE, FIRST_ANNOUNCEMENT,
                ANNOUNCEMENT_EVERY, r.windowSeconds(), QUEUE, MEMBERS, RATE * MEMBERS, loadBefore, loadAfter));
        md.append("| figure | value |\n|---|---:|\n");
        md.append(String.format(Locale.ROOT, "| calls placed / ok / failed (SIPp) | %,d / %,d / %,d |%n",
                r.run().calls(), r.run().successful(), r.run().failed()));
        md.append(String.format(Locale.ROOT, "| parked when the window opened | %,d |%n", r.parkedAtWindow()));
        md.append(String.format(Locale.ROOT, "| fewest parked during the %.0f s window | %,d |%n", r.windowSeconds(),
                r.leastParked()));
        md.append(String.format(Locale.ROOT, "| position / wait announcements played during the window | %s |%n",
                r.announced() < 0 ? "unreadable" : String.format(Locale.ROOT, "%,d", r.announced())));
        double windowCpuMs = r.windowTicks() * 10.0;
        double perCallerPerSecond = r.leastParked() == 0 ? 0 : windowCpuMs / r.windowSeconds() / r.leastParked();
        md.append(String.format(Locale.ROOT, "| node CPU during the window | %.1f s (%.0f %% of one core) |%n",
                windowCpuMs / 1000, windowCpuMs / 10 / r.windowSeconds()));
        md.append(String.format(Locale.ROOT, "| node CPU per parked caller, steady (music + announcements) | "
                + "%.2f ms per second (%.2f %% of a core) |%n", perCallerPerSecond, perCallerPerSecond / 10));
        md.append(String.format(Locale.ROOT, "| node CPU over the whole run / callers (setup, %.0f s parked, "
                + "teardown) | %.0f ms per caller |%n", r.runSeconds(), r.nodeTicks() * 10.0 / r.callers()));
        md.append(String.format(Locale.ROOT, "| callback service / redis-server CPU over the run | %.1f s / %.1f s |%n",
                r.serviceTicks() / 100.0, r.redisTicks() / 100.0));
        List<MockApns.Push> rings = r.pushes().stream().filter(p -> "ring".equals(p.kind())).toList();
        md.append(String.format(Locale.ROOT, "| ring pushes accepted by APNs (expected %,d) | %,d |%n",
                (long) r.callers() * MEMBERS, rings.size()));
        if (rings.size() > 1) {
            long first = rings.stream().mapToLong(MockApns.Push::acceptedAt).min().orElse(0);
            long last = rings.stream().mapToLong(MockApns.Push::acceptedAt).max().orElse(0);
            TreeMap<Long, Integer> perSecond = new TreeMap<>();
            rings.forEach(p -> perSecond.merge(p.acceptedAt() / 1000, 1, Integer::sum));
            int best = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            md.append(String.format(Locale.ROOT, "| pushes per second, one service instance (mean over %.1f s / "
                    + "best second) | %.0f / %d |%n", (last - first) / 1000.0,
                    rings.size() * 1000.0 / Math.max(1, last - first), best));
        }
        md.append("\nWhile they park (the ramp), each ring push's delay:\n\n").append(Latencies.header())
                .append(toPush.row(String.format(Locale.ROOT, "caller parked → ring push accepted by APNs, %d parks/s "
                        + "× %d members", RATE, MEMBERS), 200));
        long held = Math.min(r.parkedAtWindow(), r.leastParked());
        md.append(String.format(Locale.ROOT, "%nParked callers held through the window: **%,d** (goal ≥ 500: %s).%n",
                held, held >= 500 ? "met" : "not met"));
        if (rings.size() > 1) {
            double ramp = r.callers() / (double) RATE;
            long first = rings.stream().mapToLong(MockApns.Push::acceptedAt).min().orElse(0);
            long last = rings.stream().mapToLong(MockApns.Push::acceptedAt).max().orElse(0);
            boolean kept = (last - first) / 1000.0 <= ramp * 1.1 + 1;
            md.append(String.format(Locale.ROOT, "Pushes were offered at %d/s for %.0f s (%d parks/s × %d members); "
                    + "%s%n", RATE * MEMBERS, ramp, RATE, MEMBERS, kept
                    ? "the service kept up, so the mean is bounded by the offered rate, not the service's ceiling."
                    : "the service fell behind (its pushes took longer than the ramp), so the mean is what one "
                            + "instance sent on this machine under this load."));
        }
        return md.toString();
    }
}
