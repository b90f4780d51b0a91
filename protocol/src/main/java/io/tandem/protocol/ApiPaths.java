package io.tandem.protocol;

/** Where a node serves what clients use (relative to its HTTP URL). */
public final class ApiPaths {

    /** POST with HTTP Basic {@code ext@tenant}: opens the agent's session → {@link AgentLogin}. */
    public static final String AGENT_LOGIN = "/api/v1/agents/login";
    /** GET → {@link AgentStatus}; DELETE logs the agent out. Bearer token from {@link AgentLogin}. */
    public static final String AGENT_ME = "/api/v1/agents/me";
    /** PUT {@link StateChange} → {@link AgentStatus}. Bearer token. */
    public static final String AGENT_STATE = "/api/v1/agents/me/state";
    /** GET → {@link AgentStatistics} of the agent's own day; {@code ?day=yyyy-mm-dd} for another UTC day. Bearer token. */
    public static final String AGENT_STATISTICS = "/api/v1/agents/me/statistics";
    /** GET → list of {@link QueueFigures} of the queues the caller may see. */
    public static final String QUEUES = "/api/v1/queues";
    /** WebSocket of one agent; token as {@code Authorization: Bearer} header or {@code ?token=}. */
    public static final String WS_AGENT = "/ws/agent";
    /** WebSocket of a supervisor: every event of the tenant; {@code ?after=<last id>} resumes. */
    public static final String WS_SUPERVISOR = "/ws/supervisor";

    private ApiPaths() {
    }
}
