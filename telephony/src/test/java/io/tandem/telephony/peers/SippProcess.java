package io.tandem.telephony.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * SIPp ({@code sip-tester}) as a real SIP peer in a test: one run of a scenario, on 127.0.0.1,
 * a fresh work dir with the scenario and every trace file, and the exit code as the verdict.
 *
 * <pre>{@code
 * try (SippProcess uas = SippProcess.scenario("uas-answer-sdp.xml").calls(1).start()) {
 *     ua.call(uas.uri("service"));                        // our side does its thing
 *     SippResult r = uas.awaitExit(Duration.ofSeconds(30));
 *     assertThat(r.allCallsSucceeded()).as(r.describe()).isTrue();
 * }
 * }</pre>
 *
 * SIPp runs in the foreground (never {@code -bg}) with stdin closed and {@code -nostdin}, so it needs
 * no terminal and its exit code reaches us; a global {@code -timeout} makes it end by itself even
 * if the test forgets it; {@link #close()} and a JVM shutdown hook kill it in any case.
 */
public final class SippProcess implements AutoCloseable {
    /** Where the scenario files live on the test classpath. */
    static final String SCENARIO_RESOURCES = "/peers/sipp/";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** The raw u-law file audio-streaming scenarios play ({@code rtp_stream}). */
    static final String AUDIO_FILE = "audio.pcmu";
    /** The RFC 4733 capture DTMF scenarios replay ({@code play_pcap_audio}). */
    static final String DTMF_FILE = "dtmf.pcap";
    /** The digest realm the UAS scenarios challenge with unless a test sets {@code -key realm}. */
    public static final String DEFAULT_REALM = "tandem.test";
    /** The hold timer of the UAC scenarios, which {@link Builder#holdFor} rewrites. */
    static final String HOLD_TIMER = "timeout=\"3000\" ontimeout=\"hangup\"";

    private final PeerProcess process;
    private final Path workDir;
    private final int port;
    private final int mediaPort;
    private final String transport;

    SippProcess(PeerProcess process, Path workDir, int port, int mediaPort, String transport) {
        this.process = process;
        this.workDir = workDir;
        this.port = port;
        this.mediaPort = mediaPort;
        this.transport = transport;
    }

    /** A scenario built into SIPp ({@code -sn uac}, {@code uas}, {@code regexp}, ...). */
    public static Builder builtin(String name) {
        return new Builder(name, null, null);
    }

    /** A scenario XML from {@code src/test/resources/peers/sipp/} (e.g. {@code "uas-busy-486.xml"}). */
    public static Builder scenario(String resourceName) {
        return new Builder(null, resourceName, null);
    }

    /** A scenario XML file anywhere on disk (copied into the work dir). */
    public static Builder scenarioFile(Path file) {
        return new Builder(null, null, file);
    }

    /** The SIP port SIPp listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** SIPp's SIP address, 127.0.0.1:{@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** {@code sip:user@127.0.0.1:port} (with {@code ;transport=tcp} when SIPp runs over TCP). */
    public String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + port + ("tcp".equals(transport) ? ";transport=tcp" : "");
    }

    /** The first of SIPp's media ports ({@code -mp}): the RTP port its SDP announces. */
    public int mediaPort() {
        return mediaPort;
    }

    /** The run's work dir: scenario copy, stats.csv, errors.log, screen.log, messages.log, stdout/stderr. */
    public Path workDir() {
        return workDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The SIPp process id (for diagnostics). */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits for SIPp to finish its calls and returns the verdict.
     *
     * @throws AssertionError when SIPp is still running at the deadline (it is killed first); the
     *                        message holds its error log and output
     */
    public SippResult awaitExit(Duration timeout) {
        OptionalInt code = process.waitFor(timeout);
        if (code.isEmpty()) {
            process.close();
            throw new AssertionError("sipp did not exit within " + timeout.toMillis() + " ms (killed it)\n"
                    + result(-1).describe());
        }
        return result(code.getAsInt());
    }

    /** SIPp's message trace so far (every SIP message sent and received), for assertions and debugging. */
    public String messages() {
        return read(workDir.resolve("messages.log"));
    }

    private SippResult result(int exitCode) {
        Path stats = workDir.resolve("stats.csv");
        long[] counts = SippStats.callCounts(read(stats), read(workDir.resolve("screen.log")));
        return new SippResult(exitCode, counts[0], counts[1], read(workDir.resolve("errors.log")),
                read(workDir.resolve("screen.log")), process.outputTails());
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills SIPp if it still runs. */
    @Override
    public void close() {
        process.close();
    }

    /** Options of one SIPp run; every one has a default that suits a single-call loopback test. */
    public static final class Builder {
        final String builtin;
        final String resource;
        final Path file;
        String remote;
        int localPort;
        int mediaPort;
        int calls = 1;
        double rate = 10;
        int maxConcurrent;
        String transport = "udp";
        String serviceUser;
        String authUser;
        String authPassword;
        String injectionCsv;
        Duration timeout = Duration.ofSeconds(60);
        Duration recvTimeout;
        boolean traceMessages = true;
        Duration hold;
        final Map<String, String> keys = new LinkedHashMap<>();
        final Map<String, String> variables = new LinkedHashMap<>();
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final List<String> extraArgs = new ArrayList<>();

        private Builder(String builtin, String resource, Path file) {
            this.builtin = builtin;
            this.resource = resource;
            this.file = file;
        }

        /** Where a UAC scenario sends its requests, e.g. our UA's listening point. */
        public Builder remote(InetSocketAddress target) {
            this.remote = target.getAddress().getHostAddress() + ":" + target.getPort();
            return this;
        }

        /** Where a UAC scenario sends, as {@code host:port}. */
        public Builder remote(String hostPort) {
            this.remote = Objects.requireNonNull(hostPort);
            return this;
        }

        /** SIPp's own SIP port ({@code -p}); default: a free one. */
        public Builder localPort(int port) {
            this.localPort = port;
            return this;
        }

        /** SIPp's media port ({@code -mp}); default: a free block of four from an even port. */
        public Builder mediaPort(int port) {
            this.mediaPort = port;
            return this;
        }

        /** Number of calls after which SIPp exits ({@code -m}); default 1. */
        public Builder calls(int calls) {
            this.calls = calls;
            return this;
        }

        /** New calls per second a UAC places ({@code -r}); default 10. */
        public Builder rate(double callsPerSecond) {
            this.rate = callsPerSecond;
            return this;
        }

        /** Limit of simultaneous calls ({@code -l}); default SIPp's own. */
        public Builder maxConcurrent(int calls) {
            this.maxConcurrent = calls;
            return this;
        }

        /** SIP over TCP, one connection ({@code -t t1}) instead of UDP. */
        public Builder tcp() {
            this.transport = "tcp";
            return this;
        }

        /** User part of the Request-URI a UAC calls ({@code -s}, SIPp's [service]); default "service". */
        public Builder serviceUser(String user) {
            this.serviceUser = user;
            return this;
        }

        /** Credentials for {@code [authentication]} in a UAC scenario ({@code -au}/{@code -ap}). */
        public Builder auth(String username, String password) {
            this.authUser = username;
            this.authPassword = password;
            return this;
        }

        /**
         * An injection file ({@code -inf}): CSV text whose first line is {@code SEQUENTIAL} or
         * {@code RANDOM}, then one {@code field0;field1;...} line per call.
         */
        public Builder injection(String csv) {
            this.injectionCsv = csv;
            return this;
        }

        /** A generic keyword ({@code -key name value}), used in a scenario as {@code [name]}. */
        public Builder key(String name, String value) {
            keys.put(name, value);
            return this;
        }

        /** A scenario variable ({@code -set name value}), used in a scenario as {@code [$name]}. */
        public Builder variable(String name, String value) {
            variables.put(name, value);
            return this;
        }

        /** A file placed in the work dir (SIPp's cwd) before it starts, e.g. audio a scenario streams. */
        public Builder file(String name, byte[] content) {
            files.put(name, content.clone());
            return this;
        }

        /**
         * Writes {@code audio.pcmu}: a sine of {@code hz} as raw G.711 u-law, {@code length} long, which
         * scenarios stream with {@code <exec rtp_stream="audio.pcmu,-1,0"/>} (looped).
         */
        public Builder pcmuTone(double hz, Duration length) {
            return file(AUDIO_FILE, SippMedia.pcmuTone(hz, length));
        }

        /**
         * Copies sip-tester's RFC 4733 capture of {@code digit} (0-9, *, #) to {@code dtmf.pcap}, which
         * {@code uac-invite-dtmf.xml} replays with {@code play_pcap_audio}; default digit 1.
         */
        public Builder dtmfDigit(char digit) {
            return file(DTMF_FILE, SippMedia.dtmfCapture(digit));
        }

        /**
         * Credentials a UAS scenario checks with {@code verifyauth} ({@code -key user/password}), in
         * {@code register-digest-uas.xml} and {@code uas-invite-digest.xml}; realm "tandem.test"
         * unless {@code key("realm", ...)} says otherwise.
         */
        public Builder expectCredentials(String user, String password) {
            return key("user", user).key("password", password);
        }

        /**
         * How long a UAC scenario keeps the call up before its own BYE, unless the callee hangs up
         * first; default 3 s. Rewrites the scenario's {@code <recv request="BYE" timeout="3000"
         * ontimeout="hangup"/>}: SIPp takes no variable there, and a {@code <pause>} would stall its
         * rtp_stream.
         */
        public Builder holdFor(Duration hold) {
            this.hold = hold;
            return this;
        }

        /** Global time limit ({@code -timeout} with {@code -timeout_error}); default 60 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Default receive timeout of every {@code <recv>} ({@code -recv_timeout}). */
        public Builder recvTimeout(Duration timeout) {
            this.recvTimeout = timeout;
            return this;
        }

        /** Whether to log every SIP message to messages.log ({@code -trace_msg}); default on, turn off for load. */
        public Builder traceMessages(boolean on) {
            this.traceMessages = on;
            return this;
        }

        /** Any further SIPp option, passed as is. */
        public Builder arg(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /**
         * Starts SIPp and returns once its SIP port is bound.
         *
         * @throws IllegalStateException when sipp is not installed, or exits before binding (with
         *                               its stderr)
         */
        public SippProcess start() {
            return SippLaunch.start(this);
        }
    }
}
