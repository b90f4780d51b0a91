package io.tandem.bench.phone;

import io.tandem.agent.audio.AudioPath;
import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.EngineKind;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneAccount;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.PhoneEngines;
import io.tandem.agent.engine.PhoneListener;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.telephony.peers.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The softphone engine under measurement, alone in its own JVM ({@code ./tandem bench phone} starts it through
 * {@link EngineProcess}), so that {@code /proc/<pid>} counts the engine and nothing of the callers or the node. It
 * registers an agent extension on the node, answers every call and records the caller to WAV (the product's file mode:
 * pjsua2's null sound device and WAV recorder port, the Java engine's {@code WavRecorder}). It speaks to the bench in
 * {@value #PREFIX}-prefixed lines on stdout ({@code registered}, {@code connected N}, {@code ended N},
 * {@code onsets N t...}, {@code stats ...}) and takes {@code stats} and {@code quit} on stdin. {@code --cycles N}
 * instead runs the register / call / hang-up cycles (see {@link EngineCycles}).
 */
public final class EngineHost implements PhoneListener {
    static final String PREFIX = "@@ ";
    private static final Logger LOG = LoggerFactory.getLogger(EngineHost.class);

    private final EngineKind kind;
    private final Path dir;
    private final boolean latency;
    private final AtomicInteger incoming = new AtomicInteger();
    private final Map<PhoneCall, Integer> numbers = new ConcurrentHashMap<>();
    private final Map<Integer, FlushWatch> watches = new ConcurrentHashMap<>();
    private final ExecutorService analysis = Executors.newSingleThreadExecutor();
    private volatile boolean registered;
    private FileAudio files;
    private TimedAudio timed;

    private EngineHost(EngineKind kind, Path dir, boolean latency) {
        this.kind = kind;
        this.dir = dir;
        this.latency = latency;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        EngineKind kind = EngineKind.parse(options.get("engine"));
        Path dir = Path.of(options.get("dir"));
        Files.createDirectories(dir);
        PhoneAccount account = new PhoneAccount("Bench agent", options.get("extension"), "127.0.0.1",
                options.get("password").toCharArray(), List.of(options.get("registrar")), true);
        if (options.containsKey("cycles")) {
            new EngineCycles(kind, account, Integer.parseInt(options.get("cycles")),
                    Integer.parseInt(options.getOrDefault("every", "25"))).run();
        } else {
            new EngineHost(kind, dir, options.containsKey("latency")).serve(account);
        }
        System.exit(0);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "true" : args[++i]);
        }
        return options;
    }

    /** Settings of every engine the bench starts: loopback, a free RTP block, a short binding. */
    static EngineSettings settings() {
        int rtp = FreePorts.alignedBlock(40);
        return EngineSettings.defaults().withLocalAddress(InetAddress.getLoopbackAddress())
                .withRtpPorts(rtp, rtp + 39).withRegisterExpiry(Duration.ofSeconds(60));
    }

    static void say(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }

    private void serve(PhoneAccount account) throws Exception {
        files = new FileAudio(null, dir.resolve(kind.id() + "-call.wav"));
        // The Java engine hands its recorder every frame itself, so its frames are timed where they are handed over;
        // pjsua2's recorder port is inside PJSIP, so its flushes to disk are timed instead (FlushWatch).
        AudioPath audio = files;
        if (latency && kind == EngineKind.JAVA) {
            timed = new TimedAudio(files);
            audio = timed;
        }
        try (PhoneEngine engine = PhoneEngines.choose(kind).create(settings(), audio, Clock.systemUTC())) {
            engine.start(account, this);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = in.readLine(); command != null && !command.equals("quit"); command = in.readLine()) {
                if (command.equals("stats")) {
                    say("stats " + ProcessMemory.ofThisJvm().line());
                } else {
                    LOG.warn("engine host: unknown command '{}'", command);
                }
            }
        }
        analysis.shutdown();
        say("closed");
    }

    @Override
    public void onRegistration(RegistrationStatus status) {
        if (status.phase() == RegistrationStatus.Phase.REGISTERED && !registered) {
            registered = true;
            say("registered");
        }
    }

    @Override
    public void onIncomingCall(PhoneCall call) {
        int n = incoming.incrementAndGet();
        numbers.put(call, n);
        if (latency && kind == EngineKind.PJSUA2) {
            // The engine asked FileAudio for the nth recording file when the INVITE came in.
            FlushWatch watch = new FlushWatch(files.recordingFile(n));
            watches.put(n, watch);
            watch.start();
        }
    }

    @Override
    public void onCallPhase(PhoneCall call, CallPhase phase) {
        Integer n = numbers.get(call);
        if (n == null) {
            return;
        }
        if (phase == CallPhase.CONNECTED) {
            say("connected " + n);
        } else if (phase == CallPhase.ENDED) {
            numbers.remove(call);
            say("ended " + n);
            if (latency) {
                // Not on the engine's thread: the Java engine closes the recorder after telling us.
                analysis.execute(() -> reportOnsets(call, n));
            }
        }
    }

    /** Finds the tone onsets in the call's recording and says when each was handed to the recorder (nanoTime). */
    private void reportOnsets(PhoneCall call, int n) {
        try {
            RecordingClock clock;
            Path wav;
            if (timed != null) {
                TimedAudio.TimedSink sink = timed.sink(call.id());
                sink.awaitClosed(Duration.ofSeconds(10));
                clock = sink.clock();
                wav = sink.file();
            } else {
                FlushWatch watch = watches.remove(n);
                // The recorder was deleted (its last flush written) when the engine released the call, before ENDED.
                watch.stop();
                watch.awaitClosed(Duration.ofSeconds(10));
                clock = watch.clock();
                wav = files.recordingFile(n);
            }
            List<Long> onsets = Onsets.find(wav).stream().map(clock::nanosOfSample).toList();
            say("onsets " + n + " " + clock.describe() + " " + onsets.stream().map(String::valueOf)
                    .collect(Collectors.joining(" ")));
        } catch (IOException | RuntimeException e) {
            LOG.warn("call {}: recording not analysed: {}", n, e.getMessage(), e);
            say("onsets " + n + " failed " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
