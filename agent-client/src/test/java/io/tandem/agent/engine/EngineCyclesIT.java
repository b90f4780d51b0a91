package io.tandem.agent.engine;

import static io.tandem.agent.testing.PhoneEvents.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.testing.Caller;
import io.tandem.agent.testing.Engines;
import io.tandem.agent.testing.NodeProcess;
import io.tandem.agent.testing.OneNode;
import io.tandem.agent.testing.PhoneEvents;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many register / call / hang-up cycles in one process, each with an engine of its own (pjsua2: libCreate to
 * libDestroy): no crash, and no growth of the process's threads (native ones included, /proc/self/task) or of its
 * native memory (resident memory less what the JVM has committed for heap and non-heap, so a growing Java heap is
 * not taken for a leak) past what the first cycles settle at. {@value #CYCLES_PROPERTY} cycles per engine (default 30 in
 * {@code ./tandem test}; the 1000: {@code -Dtandem.phone.cycles=1000}, about 20 minutes on a shared machine).
 */
class EngineCyclesIT {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCyclesIT.class);
    private static final String CYCLES_PROPERTY = "tandem.phone.cycles";
    /** Cycles before the baseline: JIT, GC and PJSIP's pools reach their working size. */
    private static final int WARM_UP = 5;
    /** Threads the JVM may start late by itself (JIT compiler, GC workers) whatever the phone does. */
    private static final int THREAD_SLACK = 4;
    /** Native growth allowed past the warm-up: allocator settling, not a leak (a leaked pjsua library is megabytes). */
    private static final long NATIVE_SLACK_KB = 24 * 1024;

    @RegisterExtension
    static final OneNode cluster = new OneNode("cycles-n1");

    @ParameterizedTest
    @MethodSource("io.tandem.agent.testing.Engines#all")
    void registerCallHangUpManyTimesWithoutGrowth(EngineKind kind) throws Exception {
        int cycles = Integer.getInteger(CYCLES_PROPERTY, 30);
        String extension = kind == EngineKind.JAVA ? "1016" : "1017";
        long threadsAtBaseline = 0;
        long nativeAtBaseline = 0;
        try (Caller caller = new Caller("cycler", 700)) {
            for (int i = 1; i <= cycles; i++) {
                cycle(kind, extension, caller);
                if (i == WARM_UP) {
                    System.gc();
                    threadsAtBaseline = nativeThreads();
                    nativeAtBaseline = nativeKb();
                }
            }
        }
        System.gc();
        long threads = nativeThreads();
        long nativeNow = nativeKb();
        LOG.info("{} {} cycles: threads {} -> {}, native {} -> {} KB ({} KB per cycle after warm-up)", kind.id(),
                cycles, threadsAtBaseline, threads, nativeAtBaseline, nativeNow,
                (nativeNow - nativeAtBaseline) / Math.max(1, cycles - WARM_UP));
        assertThat(threads).as("threads after %d cycles", cycles).isLessThanOrEqualTo(threadsAtBaseline + THREAD_SLACK);
        assertThat(nativeNow - nativeAtBaseline).as("native memory growth (KB) after %d cycles", cycles)
                .isLessThan(NATIVE_SLACK_KB);
    }

    /** Start, register on the node, take a call, hang up, close. */
    private static void cycle(EngineKind kind, String extension, Caller caller) throws Exception {
        int rtp = FreePorts.alignedBlock(4);
        EngineSettings settings = EngineSettings.defaults().withLocalAddress(InetAddress.getLoopbackAddress())
                .withRtpPorts(rtp, rtp + 3).withRegisterExpiry(Duration.ofSeconds(60));
        PhoneEvents events = new PhoneEvents();
        try (PhoneEngine engine = Engines.create(kind, settings, FileAudio.silent())) {
            engine.start(new PhoneAccount("", extension, "127.0.0.1", NodeProcess.PASSWORD.toCharArray(),
                    List.of(cluster.node().sipUri()), true), events);
            events.awaitRegistration(RegistrationStatus.Phase.REGISTERED);
            Call call = caller.call(engine.directUri(), 1000);
            PhoneCall answered = next(events.incoming, "the call ringing the phone");
            events.awaitPhase(answered, CallPhase.CONNECTED);
            caller.awaitState(CallState.CONNECTED);
            call.hangup();
            events.awaitPhase(answered, CallPhase.ENDED);
        }
    }

    private static long nativeThreads() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.count();
        }
    }

    /** Resident memory the JVM's heap and non-heap pools do not account for: PJSIP, JNI, malloc. */
    private static long nativeKb() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long jvmKb = (memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted()) / 1024;
        return residentKb() - jvmKb;
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
