package io.tandem.bench.callback;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.tandem.bench.BenchSection;
import io.tandem.bench.node.BenchUsers;
import io.tandem.callback.MockApns;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import io.tandem.telephony.ua.UserAgentListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Issue 15's two latencies, one parked caller at a time: a caller (our user agent, digest) dials a queue that parks;
 * the callback service pushes a ring to the queue's two sleeping members through the mock APNs (figure 1: PARKED
 * written → push accepted by APNs); when the first push is in, one member's device REGISTERs again with its push
 * parameters, the service commands the node to call it into the room, the device answers (figure 2: REGISTER sent →
 * JOINED written by the join script). Each round has its own queue and members, so every round starts from sleeping
 * agents.
 */
final class WakeSection implements BenchSection {

    /** Queue numbers of the rounds: 7900, 7901, … */
    static final int FIRST_QUEUE = 7900;
    static final int FULL_ROUNDS = 100;
    static final int QUICK_ROUNDS = 10;
    private static final long STEP_TIMEOUT_MS = 20_000;

    private final CallbackCluster cluster;
    private final int rounds;
    private final Latencies toPush = new Latencies();
    private final Latencies toFirstPush = new Latencies();
    private final Latencies toJoined = new Latencies();
    /** Round 0, not counted: the service's first TLS connection to APNs, cold JIT everywhere. */
    private final Latencies coldPush = new Latencies();
    private final Latencies coldJoined = new Latencies();
    private int failedRounds;
    private final List<String> failures = new ArrayList<>();

    WakeSection(CallbackCluster cluster, int rounds) {
        this.cluster = cluster;
        this.rounds = rounds;
    }

    /** The two members (bench users) of round {@code round}; user 0 is the caller. */
    static int member(int round, int which) {
        return 1 + 2 * round + which;
    }

    /** The queues of the rounds, for the node's queue seed. */
    static String queuesYaml(int rounds) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            yaml.append(CallbackBench.parkingQueue(Integer.toString(FIRST_QUEUE + i), "wake " + i,
                    List.of(member(i, 0), member(i, 1)), 300));
        }
        return yaml.toString();
    }

    @Override
    public String title() {
        return "Waking sleeping agents for a parked caller";
    }

    @Override
    public String run(boolean quick) throws Exception {
        String loadBefore = CallbackBench.loadAverage();
        List<SleepingDevice> devices = new ArrayList<>();
        UserAgent caller = UserAgent.start(UserAgentConfig.of(BenchUsers.extension(0), "127.0.0.1")
                .withPassword(BenchUsers.password(0)).withRtpPorts(30_000, 30_999), new UserAgentListener() {
                });
        try {
            for (int i = 0; i < rounds; i++) {
                for (int which = 0; which < 2; which++) {
                    SleepingDevice device = new SleepingDevice(member(i, which), cluster.sipPort());
                    devices.add(device);
                    device.register();
                }
            }
            for (int i = 0; i < rounds; i++) {
                try {
                    round(caller, i, devices.get(2 * i), i == 0);
                } catch (IOException e) {
                    failedRounds++;
                    failures.add("round " + i + ": " + e.getMessage());
                    System.out.println("round " + i + " failed: " + e.getMessage());
                }
            }
        } finally {
            caller.close();
            SleepingDevice.closeAll(devices);
        }
        return render(loadBefore, CallbackBench.loadAverage());
    }

    private void round(UserAgent caller, int round, SleepingDevice woken, boolean cold) throws Exception {
        String queue = Integer.toString(FIRST_QUEUE + round);
        RoomEvents events = new RoomEvents(cluster);
        Call call = caller.call("sip:" + queue + "@127.0.0.1:" + cluster.sipPort());
        try {
            RoomEvent parked = events.await(e -> e.kind() == RoomEvent.Kind.PARKED && e.callId().equals(call.id()),
                    "PARKED for " + call.id());
            List<MockApns.Push> rings = awaitRings(parked.room());
            long first = Long.MAX_VALUE;
            for (MockApns.Push ring : rings) {
                (cold ? coldPush : toPush).add(ring.acceptedAt() - parked.at());
                first = Math.min(first, ring.acceptedAt() - parked.at());
            }
            if (!cold) {
                toFirstPush.add(first);
            }
            long registered = System.currentTimeMillis();
            woken.register();
            RoomEvent joined = events.await(e -> e.kind() == RoomEvent.Kind.JOINED
                    && e.room().equals(parked.room()), "JOINED for room " + parked.room());
            (cold ? coldJoined : toJoined).add(joined.at() - registered);
            if (!joined.agent().equals(woken.user())) {
                throw new IOException("room " + parked.room() + " joined by " + joined.agent() + ", not "
                        + woken.user());
            }
        } finally {
            call.hangup();
        }
        events.await(e -> e.callId().equals(call.id()) && (e.kind() == RoomEvent.Kind.CLOSED
                || e.kind() == RoomEvent.Kind.ABANDONED), "the room of " + call.id() + " closing");
    }

    /** Both members' ring pushes, as the mock APNs accepted them. */
    private List<MockApns.Push> awaitRings(String room) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + STEP_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            List<MockApns.Push> rings = cluster.apns().of(room).stream().filter(p -> "ring".equals(p.kind()))
                    .toList();
            if (rings.size() >= 2) {
                return rings;
            }
            Thread.sleep(1); // MockApnsServer has no wait; the figure is its own accept time, not this poll's
        }
        throw new IOException("no two ring pushes for room " + room + " within " + STEP_TIMEOUT_MS + " ms");
    }

    private String render(String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("One caller at a time (our user agent, digest, G.711) dials a queue set to park when no agent is ")
                .append("available; the node parks it in a room (PARKED on the room-event stream, written by ")
                .append("`conference/open.lua` with the node's clock), the callback service (its jar, one instance) ")
                .append("reads it and pushes a VoIP ring with a join token to both sleeping members (push bindings ")
                .append("from a REGISTER with `pn-provider=apns`), through Pushy over HTTP/2 + TLS to Pushy's ")
                .append("`MockApnsServer` in the bench JVM (token auth with a test-made .p8 key, device tokens ")
                .append("validated per topic). Figure 1 is the mock server's accept time less PARKED's `at`. Once ")
                .append("both pushes are in, one member's device REGISTERs again with its push parameters (as an ")
                .append("app woken by the push does); the node's registrar appends a DeviceEvent, the service sends ")
                .append("CALL_INTO_ROOM on the node's command stream, the node INVITEs the device, which answers at ")
                .append("once, and `conference/join.lua` writes JOINED. Figure 2 is JOINED's `at` less the moment ")
                .append("the bench sent the REGISTER (digest challenge and answer included). All clocks are this ")
                .append("machine's. Every round has its own queue and two members of its own, so each starts from ")
                .append("sleeping agents; the caller hangs up after the join. Load average (1/5/15 min) at the ")
                .append("start: ").append(loadBefore).append("; at the end: ").append(loadAfter).append(".\n\n");
        md.append(Latencies.header());
        md.append(toFirstPush.row("caller parked → first ring push accepted by APNs", 200));
        md.append(toPush.row("caller parked → each ring push accepted (2 per park)", 200));
        md.append(toJoined.row("woken device's REGISTER sent → agent JOINED in the room", 1000));
        md.append(String.format(Locale.ROOT, "%nRounds: %d (the first, cold — the service's first TLS connection "
                + "to APNs, JIT — is not in the table: parked → pushes %s ms, REGISTER → JOINED %s ms), failed: %d.%n",
                rounds, coldPush.count() == 0 ? "-" : coldPush.percentile(0.5) + " / " + coldPush.max(),
                coldJoined.count() == 0 ? "-" : Long.toString(coldJoined.max()), failedRounds));
        for (String failure : failures) {
            md.append("- ").append(failure).append('\n');
        }
        return md.toString();
    }

    /** The tenant's room-event stream, read onwards from where it ends when made (XREAD BLOCK). */
    static final class RoomEvents {
        private final CallbackCluster cluster;
        private final String key = CallbackKeys.roomEvents(CallbackCluster.TENANT);
        private String lastId;

        RoomEvents(CallbackCluster cluster) {
            this.cluster = cluster;
            List<StreamMessage<String, String>> last = cluster.redis().xrevrange(key, Range.create("-", "+"),
                    Limit.from(1));
            this.lastId = last.isEmpty() ? "0-0" : last.get(0).getId();
        }

        RoomEvent await(Predicate<RoomEvent> what, String description) throws IOException {
            long deadline = System.currentTimeMillis() + STEP_TIMEOUT_MS;
            while (System.currentTimeMillis() < deadline) {
                List<StreamMessage<String, String>> read = cluster.redis().xread(XReadArgs.Builder.block(500)
                        .count(100), XReadArgs.StreamOffset.from(key, lastId));
                for (StreamMessage<String, String> message : read) {
                    lastId = message.getId();
                    Optional<RoomEvent> event = Optional.of(RoomEvent.of(message.getBody())).filter(what);
                    if (event.isPresent()) {
                        return event.get();
                    }
                }
            }
            throw new IOException("no " + description + " within " + STEP_TIMEOUT_MS + " ms");
        }
    }
}
