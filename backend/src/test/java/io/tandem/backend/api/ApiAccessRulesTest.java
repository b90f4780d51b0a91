package io.tandem.backend.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.directory.Role;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class ApiAccessRulesTest {

    private static final String QUEUES = "/api/v1/tenants/{tenant}/queues";

    @Test
    void theFirstMatchingRuleDecidesAsTheChainDoes() {
        ApiAccessRules.Rule move = ApiAccessRules.ruleFor(HttpMethod.POST,
                QUEUES + "/{number}/callers/{callId}/move").orElseThrow();
        assertThat(move.role()).isEqualTo(Role.SUPERVISOR);
        assertThat(move.tenant()).isTrue();
        assertThat(ApiAccessRules.ruleFor(HttpMethod.POST, QUEUES).orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(ApiAccessRules.ruleFor(HttpMethod.GET, QUEUES).orElseThrow().role()).isEqualTo(Role.SUPERVISOR);
        assertThat(ApiAccessRules.ruleFor(HttpMethod.DELETE, QUEUES + "/{number}").orElseThrow().role())
                .isEqualTo(Role.ADMIN);
        assertThat(ApiAccessRules.ruleFor(HttpMethod.GET, "/api/v1/tenants/{tenant}/users").orElseThrow().role())
                .isEqualTo(Role.ADMIN);
        assertThat(ApiAccessRules.ruleFor(HttpMethod.PUT, "/api/v1/agents/me/state").orElseThrow().role())
                .isEqualTo(Role.AGENT);
        assertThat(ApiAccessRules.ruleFor(HttpMethod.GET, "/actuator/health").orElseThrow().role()).isNull();
        assertThat(ApiAccessRules.ruleFor(HttpMethod.GET, "/v3/api-docs").orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(ApiAccessRules.ruleFor(HttpMethod.GET, "/elsewhere")).isEmpty();
    }

    @Test
    void aRuleSaysItsRoleInWords() {
        assertThat(ApiAccessRules.ruleFor(HttpMethod.POST, QUEUES + "/{number}/callers/{callId}/move").orElseThrow()
                .describe()).isEqualTo("Role: supervisor or admin of the tenant in the path.");
        assertThat(ApiAccessRules.ruleFor(HttpMethod.GET, "/api/v1/cluster/nodes").orElseThrow().describe())
                .isEqualTo("Role: supervisor or admin.");
        assertThat(ApiAccessRules.ruleFor(HttpMethod.GET, "/actuator/health").orElseThrow().describe())
                .isEqualTo("No authentication.");
    }
}
