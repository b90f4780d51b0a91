package io.tandem.telephony.peers;

import io.tandem.telephony.testing.Await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * baresip as a real SIP softphone in a test: its own generated config dir, SIP on 127.0.0.1 at a
 * free port, driven over ctrl_tcp (dial, accept, hangup) and observed through its events; sends a
 * sine or a WAV file as its microphone and records what it receives to WAV (sndfile module).
 *
 * <pre>{@code
 * try (BaresipProcess callee = BaresipProcess.builder().user("bob").autoAnswer(true).start();
 *      BaresipProcess caller = BaresipProcess.builder().user("alice").sineSource(1000).start()) {
 *     caller.dial(callee.uri());
 *     callee.awaitEvent(BaresipEvent.CALL_ESTABLISHED, Duration.ofSeconds(10));
 *     ...
 *     caller.hangup();
 *     callee.awaitEvent(BaresipEvent.CALL_CLOSED, Duration.ofSeconds(10));
 *     assertThat(callee.recording().skip(Duration.ofMillis(500)).toneRatio(1000)).isGreaterThan(0.8);
 * }
 * }</pre>
 *
 * There is no sound card here, so no audio player module is loaded: received audio goes through
 * the decoder and the sndfile filter (which writes {@code dump-<time>-dec.wav}) and is dropped.
 */
public final class BaresipProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** How many UDP ports baresip's media may use ({@code rtp_ports}). */
    public static final int RTP_PORTS = 8;

    private final PeerProcess process;
    private final BaresipControl control;
    private final Path workDir;
    private final Path recordDir;
    private final String user;
    private final int sipPort;
    private final int rtpFirst;
    /** Account parameters (answer mode, codecs) that {@link #register} gives a new user agent too. */
    private final String accountOptions;

    private BaresipProcess(PeerProcess process, BaresipControl control, Path workDir, Path recordDir, String user,
                           int sipPort, int rtpFirst, String accountOptions) {
        this.process = process;
        this.control = control;
        this.workDir = workDir;
        this.recordDir = recordDir;
        this.user = user;
        this.sipPort = sipPort;
        this.rtpFirst = rtpFirst;
        this.accountOptions = accountOptions;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port baresip's SIP listens on (UDP and TCP; TLS on the next one). */
    public int sipPort() {
        return sipPort;
    }

    /** The first of the {@value #RTP_PORTS} UDP ports baresip sends and receives media on. */
    public int rtpPortMin() {
        return rtpFirst;
    }

    /** baresip's SIP address, 127.0.0.1:{@link #sipPort()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", sipPort);
    }

    /**
     * The URI that reaches this baresip directly: {@code sip:<user>@127.0.0.1:<port>} (with
     * {@link Builder#registerTo} the user is the auth user; its AOR lives at the registrar).
     */
    public String uri() {
        return "sip:" + user + "@127.0.0.1:" + sipPort;
    }

    /** The config dir and logs (stdout.log holds baresip's output, with the SIP trace when on). */
    public Path workDir() {
        return workDir;
    }

    /** Places a call to {@code uri} (e.g. {@code sip:bob@127.0.0.1:5070}); follow it with {@link #awaitEvent}. */
    public void dial(String uri) {
        command("dial", uri);
    }

    /** Answers the ringing incoming call (answer mode manual; see {@link BaresipEvent#CALL_INCOMING}). */
    public void answer() {
        command("accept", null);
    }

    /** Hangs up the current call: BYE when established, CANCEL while ringing, 486 for an unanswered incoming call. */
    public void hangup() {
        command("hangup", null);
    }

    /**
     * Registers a user agent at {@code registrar} with digest credentials (baresip's {@code uanew};
     * REGISTERING, then REGISTER_OK or REGISTER_FAIL follow as events). Calls then go out from it.
     */
    public void register(InetSocketAddress registrar, String authUser, String password, Duration interval) {
        command("uanew", "<sip:" + authUser + "@" + registrar.getAddress().getHostAddress() + ":" + registrar.getPort()
                + ">;auth_pass=" + password + ";regint=" + interval.toSeconds() + accountOptions);
    }

    /** Any baresip command ({@code /help} lists them); returns its text answer. */
    public String command(String name, String params) {
        process.requireAlive("running command " + name);
        return control.command(name, params, COMMAND_TIMEOUT);
    }

    /**
     * The next event of {@code type} that no earlier call returned.
     *
     * @throws AssertionError at the deadline, listing every event seen and baresip's output tail
     */
    public BaresipEvent awaitEvent(String type, Duration timeout) {
        Optional<BaresipEvent> e = control.next(ev -> type.equals(ev.type()), timeout);
        if (e.isEmpty()) {
            throw new AssertionError("baresip " + uri() + ": no " + type + " event within " + timeout.toMillis()
                    + " ms; events so far: " + control.events() + (process.isAlive() ? "" : " (baresip exited)")
                    + "\n" + process.outputTails());
        }
        return e.get();
    }

    /** Every event received so far, in order. */
    public List<BaresipEvent> events() {
        return control.events();
    }

    /** Where sndfile writes this instance's recordings. */
    public Path recordDir() {
        return recordDir;
    }

    /**
     * The WAV of what baresip received (decoded) in its latest call. sndfile completes the file's
     * header when the call ends, so read it after {@link BaresipEvent#CALL_CLOSED}.
     */
    public Path recordedWav() {
        return latestDump("-dec.wav");
    }

    /** The WAV of what baresip sent (its source, before encoding) in its latest call. */
    public Path sentWav() {
        return latestDump("-enc.wav");
    }

    /** {@link #recordedWav()} read as samples. */
    public Recording recording() {
        return Recording.read(recordedWav());
    }

    private Path latestDump(String suffix) {
        return Await.value("baresip to write *" + suffix + " in " + recordDir, Duration.ofSeconds(30), () -> {
            try (Stream<Path> files = Files.list(recordDir)) {
                return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                        .max(Comparator.comparing((Path p) -> p.toFile().lastModified()).thenComparing(Path::toString));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, process::outputTails);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The baresip process id (for diagnostics). */
    public long pid() {
        return process.pid();
    }

    /** Stops baresip (SIGTERM, then SIGKILL) and closes the control connection. */
    @Override
    public void close() {
        control.close();
        process.close();
    }

    /** What to run; defaults: user "peer", answer mode manual, PCMU and PCMA, no audio source. */
    public static final class Builder {
        int sipPort;
        String user = "peer";
        boolean autoAnswer;
        String audioSource;
        int sourceRate = 48_000;
        int sourceChannels = 2;
        Path recordDir;
        List<String> codecs = List.of("pcmu", "pcma");
        InetSocketAddress registrar;
        String authUser;
        String password;
        Duration registerInterval = Duration.ofSeconds(600);
        boolean sipTrace = true;
        Duration maxLifetime = Duration.ofMinutes(10);
        String extraAccountParams = "";
        List<String> extraConfig = new ArrayList<>();

        private Builder() {
        }

        /** SIP port (UDP+TCP; p+1 is taken for TLS); default: a free block of two. */
        public Builder sipPort(int port) {
            this.sipPort = port;
            return this;
        }

        /** The user part of this phone's URI; default "peer". */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Answer incoming calls at once ({@code answermode=auto}); default: manual, use {@link #answer()}. */
        public Builder autoAnswer(boolean auto) {
            this.autoAnswer = auto;
            return this;
        }

        /** Send a continuous sine of {@code hz} as the microphone (ausine module: 48 kHz stereo, resampled). */
        public Builder sineSource(int hz) {
            if (hz < 10 || hz > 20_000) {
                throw new IllegalArgumentException("ausine plays 10..20000 Hz, not " + hz);
            }
            this.audioSource = "ausine," + hz;
            this.sourceRate = 48_000;
            this.sourceChannels = 2;
            return this;
        }

        /** Send a 16-bit PCM WAV file as the microphone (aufile module; the source runs at the file's rate). */
        public Builder wavSource(Path wav) {
            try {
                int[] format = PeerWavReader.format(wav);
                this.sourceChannels = format[0];
                this.sourceRate = format[1];
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read WAV " + wav + ": " + e.getMessage(), e);
            }
            this.audioSource = "aufile," + wav.toAbsolutePath();
            return this;
        }

        /** Directory for the sndfile recordings; default: {@code recordings/} in the work dir. */
        public Builder recordTo(Path dir) {
            this.recordDir = dir;
            return this;
        }

        /** Codecs to offer/accept, in preference order, as baresip names them: pcmu, pcma, g722, opus. */
        public Builder codecs(String... names) {
            this.codecs = List.of(names);
            return this;
        }

        /**
         * Register at start to {@code registrar} as {@code authUser} with digest password
         * {@code password}, every {@code interval}; the phone's AOR is then at the registrar.
         */
        public Builder registerTo(InetSocketAddress registrar, String authUser, String password, Duration interval) {
            this.registrar = registrar;
            this.authUser = authUser;
            this.password = password;
            this.registerInterval = interval;
            return this;
        }

        /**
         * Further account parameters, appended as is: e.g. {@code "ptime=30"} or
         * {@code "outbound=\"sip:127.0.0.1:5080\""} (see baresip's accounts file format).
         */
        public Builder accountParams(String params) {
            this.extraAccountParams = params.startsWith(";") ? params : ";" + params;
            return this;
        }

        /**
         * A further line of baresip's {@code config}, appended as is: e.g. {@code "module srtp.so"} (with the
         * account parameter {@code mediaenc=srtp-mand}) or {@code "sip_cafile /path/ca.pem"} for SIP over TLS.
         */
        public Builder configLine(String line) {
            this.extraConfig.add(line);
            return this;
        }

        /** Print SIP messages into stdout.log (baresip -s); default on, they make failures readable. */
        public Builder sipTrace(boolean on) {
            this.sipTrace = on;
            return this;
        }

        /**
         * baresip quits by itself after this long ({@code -t}), so even a test JVM killed with
         * SIGKILL (no shutdown hook) leaves no phone running for long; default 10 minutes.
         */
        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = lifetime;
            return this;
        }

        /**
         * Writes the config, starts baresip, connects to its ctrl_tcp port, and (with a registrar)
         * creates the registering user agent, so REGISTER events are not missed.
         *
         * @throws IllegalStateException when baresip is not installed or dies while starting (with its output)
         */
        public BaresipProcess start() {
            Path baresip = Programs.require("baresip", "baresip-core");
            Path modules = Programs.requireFile(Path.of("/usr/lib/baresip/modules/ctrl_tcp.so"), "baresip-core")
                    .getParent();
            int port = sipPort > 0 ? sipPort : FreePorts.block(2);
            int ctrlPort = FreePorts.udpAndTcp();
            int rtpFirst = FreePorts.alignedBlock(RTP_PORTS);
            Path workDir;
            Path records;
            try {
                workDir = PeerDirs.create("baresip-");
                records = recordDir != null ? recordDir : workDir.resolve("recordings");
                Files.createDirectories(records);
                String options = ";answermode=" + (autoAnswer ? "auto" : "manual")
                        + ";audio_codecs=" + String.join(",", codecs) + extraAccountParams;
                Files.writeString(workDir.resolve("config"),
                        BaresipConfig.config(this, modules, port, ctrlPort, rtpFirst, records));
                Files.writeString(workDir.resolve("accounts"),
                        registrar == null ? "<sip:" + user + "@127.0.0.1:" + port + ">;regint=0" + options + "\n" : "");
                Files.writeString(workDir.resolve("contacts"), "");
                List<String> cmd = new ArrayList<>(List.of(baresip.toString(), "-f", workDir.toString(),
                        "-t", Long.toString(Math.max(1, maxLifetime.toSeconds()))));
                if (sipTrace) {
                    cmd.add("-s");
                }
                PeerProcess process = PeerProcess.start("baresip " + user + "@127.0.0.1:" + port, cmd, workDir);
                BaresipControl control;
                try {
                    control = connect(process, ctrlPort);
                } catch (RuntimeException | AssertionError e) {
                    process.close();
                    throw e;
                }
                BaresipProcess peer = new BaresipProcess(process, control, workDir, records,
                        registrar == null ? user : authUser, port, rtpFirst, options);
                if (registrar != null) {
                    try {
                        peer.register(registrar, authUser, password, registerInterval);
                    } catch (RuntimeException | AssertionError e) {
                        peer.close();
                        throw e;
                    }
                }
                return peer;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare baresip config", e);
            }
        }

        private static BaresipControl connect(PeerProcess process, int ctrlPort) {
            return Await.value("baresip ctrl_tcp on 127.0.0.1:" + ctrlPort, START_TIMEOUT, () -> {
                process.requireAlive("starting");
                if (!BoundPorts.tcpListening(ctrlPort)) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(BaresipControl.connect(ctrlPort, process.name()));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }, process::outputTails);
        }
    }
}
