package io.tandem.backend.acd.agents;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.ScriptReply;
import io.tandem.protocol.AgentStatistics;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Per-agent figures of a UTC day. The scripts that change an agent's state count the time in the state left and
 * the calls answered and offers missed into {@code tandem:{t}:agent:<id>:stats:<day>}; one read script adds the
 * current state up to the node's now, so every node reads the same figures.
 */
@Service
public class AgentStatisticsService {

    private static final String NOT_READY = "ms:not-ready:";

    private final AcdScripts scripts;

    public AgentStatisticsService(AcdScripts scripts) {
        this.scripts = scripts;
    }

    /** Every agent with figures that day or a session now, by agent id. */
    public List<AgentStatistics> all(String tenant, LocalDate day) {
        return read(tenant, day, "");
    }

    /** One agent's figures (zeros, logged-out, when the agent has none). */
    public AgentStatistics one(String tenant, String agentId, LocalDate day) {
        Keys.agent(tenant, agentId); // validates the id before it reaches a script
        return read(tenant, day, agentId).get(0);
    }

    /** Today (UTC, on the injected clock). */
    public LocalDate today() {
        return scripts.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** {@code null}/empty → today; otherwise yyyy-mm-dd or a 400 problem naming {@code day}. */
    public LocalDate day(String value) {
        if (value == null || value.isEmpty()) {
            return today();
        }
        try {
            if (value.length() != 10) {
                throw new DateTimeParseException("length", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw AcdProblems.invalid("day", "must be a date as yyyy-mm-dd (a UTC day), not '" + value + "'");
        }
    }

    private List<AgentStatistics> read(String tenant, LocalDate day, String agentId) {
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Reply reply = ScriptReply.decode(scripts.run(AcdScripts.AGENT_STATS, tenant,
                List.of(Keys.agentSessions(tenant)), day.toString(), Long.toString(dayStart), agentId), Reply.class);
        List<AgentStatistics> out = new ArrayList<>(reply.agents().size());
        for (Reply.Agent agent : reply.agents()) {
            out.add(figures(agent.agentId(), day, reply.now(), agent.state(), agent.reason(), agent.figures()));
        }
        return out;
    }

    /** What {@code agent_stats.lua} returns (JSON): its clock, and each agent's state and figures of the day. */
    record Reply(long now, List<Agent> agents) {

        /** The figures are the agent's statistics hash of the day with the current state counted up to now. */
        record Agent(String agentId, String state, String reason, Map<String, String> figures) {
        }
    }

    private static AgentStatistics figures(String agentId, LocalDate day, long now, String state, String reason,
            Map<String, String> fields) {
        long answered = AgentSessions.number(fields.get("answered"));
        long onCall = AgentSessions.number(fields.get("ms:on-call"));
        long wrapUp = AgentSessions.number(fields.get("ms:wrap-up"));
        Map<String, Double> notReady = new HashMap<>();
        fields.forEach((field, value) -> {
            if (field.startsWith(NOT_READY)) {
                notReady.put(field.substring(NOT_READY.length()), seconds(AgentSessions.number(value)));
            }
        });
        double aht = answered == 0 ? 0 : (onCall + wrapUp) / 1000.0 / answered;
        return new AgentStatistics(agentId, day.toString(), Instant.ofEpochMilli(now),
                AgentSessions.state(state), reason, answered, AgentSessions.number(fields.get("missed")),
                seconds(onCall), aht, seconds(AgentSessions.number(fields.get("ms:available"))),
                seconds(AgentSessions.number(fields.get("ms:reserved"))), seconds(onCall), seconds(wrapUp), notReady);
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }
}
