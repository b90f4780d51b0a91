package io.tandem.backend.acd.web;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.agents.AgentStatisticsService;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.redis.Keys;
import io.tandem.protocol.AgentStatistics;
import io.tandem.protocol.ApiPaths;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-agent statistics of a UTC day ({@code ?day=yyyy-mm-dd}, today by default): a supervisor of the tenant reads
 * every agent's (the security configuration checks role and tenant of {@code /api/v1/tenants/{tenant}/**}); an agent
 * reads only their own.
 */
@RestController
class AgentStatisticsController {

    private final AgentStatisticsService statistics;

    AgentStatisticsController(AgentStatisticsService statistics) {
        this.statistics = statistics;
    }

    @GetMapping("/api/v1/tenants/{tenant}/agents/statistics")
    List<AgentStatistics> all(@PathVariable String tenant, @RequestParam(required = false) String day) {
        return statistics.all(tenant, statistics.day(day));
    }

    @GetMapping("/api/v1/tenants/{tenant}/agents/{agentId}/statistics")
    AgentStatistics one(@PathVariable String tenant, @PathVariable String agentId,
            @RequestParam(required = false) String day) {
        if (!Keys.EXTENSION.matcher(agentId).matches()) {
            throw AcdProblems.invalid("agentId", "not an agent id: letters, digits, '.', '_' or '-'");
        }
        return statistics.one(tenant, agentId, statistics.day(day));
    }

    @GetMapping(ApiPaths.AGENT_STATISTICS)
    AgentStatistics mine(@AuthenticationPrincipal TenantPrincipal me, @RequestParam(required = false) String day) {
        return statistics.one(me.tenant(), me.extension(), statistics.day(day));
    }
}
