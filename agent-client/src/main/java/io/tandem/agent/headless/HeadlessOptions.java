package io.tandem.agent.headless;

import io.tandem.agent.api.AgentApi;
import io.tandem.agent.api.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The flags of {@code ./tandem phone --headless}, checked up front: every problem is a {@link UsageException} whose
 * message names the flag. The password may come from {@code --password} or, kept out of {@code ps}, from the
 * environment variable {@code TANDEM_AGENT_PASSWORD}.
 */
public record HeadlessOptions(String backend, String tenant, String agent, char[] password, boolean autoAnswer,
                              Path play, Path record, boolean available, int sipPort) {

    public static final String PASSWORD_ENV = "TANDEM_AGENT_PASSWORD";

    public static final String USAGE = """
            Usage: ./tandem phone --headless --agent ID --backend URL [--password PW] [--tenant T]
                                  [--auto-answer] [--play in.wav] [--record out.wav] [--not-ready] [--sip-port N]

            Runs the softphone's engine and session without a window: logs in, registers to the nodes the backend
            names (failing over down the list), goes Available and takes calls until Ctrl-C.

              --agent ID        agent id (extension), e.g. 1001 (required)
              --backend URL     node HTTP URL, e.g. http://127.0.0.1:8080 (required)
              --password PW     agent password (or set TANDEM_AGENT_PASSWORD, which ps does not show)
              --tenant T        tenant (default: the node's default tenant)
              --auto-answer     answer every call at once
              --play FILE       WAV (8 or 16 kHz mono 16-bit) the caller hears, looped (default: silence)
              --record FILE     record what the caller says; later calls go to FILE-2.wav, FILE-3.wav...
              --not-ready       stay Not ready after login instead of going Available
              --sip-port N      local SIP port (default: any free one)
            """;

    /** Thrown for a bad command line; the message names the flag. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public static HeadlessOptions parse(String[] args, Map<String, String> env) throws UsageException {
        String backend = null;
        String tenant = "";
        String agent = null;
        String password = null;
        boolean autoAnswer = false;
        boolean available = true;
        Path play = null;
        Path record = null;
        int sipPort = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (flag) {
                case "--headless" -> { }
                case "--auto-answer" -> autoAnswer = true;
                case "--not-ready" -> available = false;
                case "--backend", "--tenant", "--agent", "--password", "--play", "--record", "--sip-port" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageException(flag + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (flag) {
                        case "--backend" -> backend = value;
                        case "--tenant" -> tenant = value;
                        case "--agent" -> agent = value;
                        case "--password" -> password = value;
                        case "--play" -> play = Path.of(value);
                        case "--record" -> record = Path.of(value);
                        default -> sipPort = port(value);
                    }
                }
                default -> throw new UsageException("unknown option '" + arg + "' (see ./tandem phone --help)");
            }
        }
        if (agent == null || agent.isBlank()) {
            throw new UsageException("--agent is required (the agent id, e.g. --agent 1001)");
        }
        if (!agent.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new UsageException("--agent: '" + agent + "' must be letters, digits, '.', '_' or '-'");
        }
        if (!tenant.isEmpty() && !tenant.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new UsageException("--tenant: '" + tenant + "' must be letters, digits, '.', '_' or '-'");
        }
        if (backend == null) {
            throw new UsageException("--backend is required (e.g. --backend http://127.0.0.1:8080)");
        }
        try {
            AgentApi.parse(backend);
        } catch (ApiException e) {
            throw new UsageException("--backend: " + e.getMessage());
        }
        if (password == null) {
            password = env.get(PASSWORD_ENV);
        }
        if (password == null || password.isEmpty()) {
            throw new UsageException("--password is required (or set " + PASSWORD_ENV + ")");
        }
        if (play != null && !Files.isReadable(play)) {
            throw new UsageException("--play: cannot read '" + play + "'");
        }
        if (record != null) {
            Path dir = record.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new UsageException("--record: cannot write into '" + dir + "'");
            }
        }
        return new HeadlessOptions(backend, tenant, agent, password.toCharArray(), autoAnswer, play, record,
                available, sipPort);
    }

    private static int port(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UsageException("--sip-port: '" + value + "' is not a port number (0-65535)");
    }

    @Override
    public String toString() {
        return "HeadlessOptions[" + agent + " at " + backend + "]";
    }
}
