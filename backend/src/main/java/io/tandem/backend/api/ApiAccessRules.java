package io.tandem.backend.api;

import io.tandem.backend.directory.Role;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call what on the stateless API chain, in one ordered table (the first rule that matches decides): the
 * security configuration registers it, and the OpenAPI description states each operation's role from it, so the
 * two cannot disagree.
 */
public final class ApiAccessRules {

    private static final String TENANT = "/api/v1/tenants/{tenant}";

    /**
     * One rule.
     *
     * @param method   the HTTP method, null for any
     * @param patterns path patterns ({@code *} one segment, {@code **} the rest)
     * @param role     the least role, null for anyone (no authentication)
     * @param tenant   the user must also belong to the tenant named in the path
     * @param apiKey   the tenant's API key ({@code X-Api-Key}) is accepted too, in place of a signed-in user
     */
    public record Rule(HttpMethod method, List<String> patterns, Role role, boolean tenant, boolean apiKey) {

        boolean matches(HttpMethod requestMethod, String path) {
            if (method != null && !method.equals(requestMethod)) {
                return false;
            }
            PathContainer container = PathContainer.parsePath(path);
            return patterns.stream().map(PathPatternParser.defaultInstance::parse)
                    .anyMatch((PathPattern pattern) -> pattern.matches(container));
        }

        /** The rule in words, for the API's description. */
        public String describe() {
            if (role == null) {
                return "No authentication.";
            }
            String who = switch (role) {
                case AGENT -> "agent, supervisor or admin";
                case SUPERVISOR -> "supervisor or admin";
                case ADMIN -> "admin";
            };
            return "Role: " + who + (tenant ? " of the tenant in the path" : "")
                    + (apiKey ? ", or the tenant's API key (X-Api-Key)." : ".");
        }
    }

    /** In order; whatever no rule names needs any signed-in user. */
    public static final List<Rule> RULES = List.of(
            anyone("/actuator/health", "/actuator/health/**"),
            rule(null, Role.SUPERVISOR, false, "/actuator/**"),
            rule(null, Role.ADMIN, false, "/v3/api-docs", "/v3/api-docs/**"),
            rule(null, Role.SUPERVISOR, false, "/api/v1/cluster/**"),
            rule(null, Role.ADMIN, true, TENANT + "/users", TENANT + "/users/**"),
            rule(null, Role.ADMIN, true, TENANT + "/api-keys", TENANT + "/api-keys/**"),
            // Carrier trunks, DIDs and who may call outside: toll fraud is an admin's to prevent.
            rule(null, Role.ADMIN, true, TENANT + "/trunks", TENANT + "/trunks/**", TENANT + "/dids",
                    TENANT + "/dids/**", TENANT + "/dial-plan", TENANT + "/dial-permissions/**"),
            // Preview campaigns: an agent asks for its next contact.
            rule(HttpMethod.POST, Role.AGENT, true, TENANT + "/campaigns/*/next"),
            rule(null, Role.ADMIN, true, TENANT + "/campaigns", TENANT + "/campaigns/**", TENANT + "/do-not-call",
                    TENANT + "/do-not-call/**"),
            // App users: the tenant's business backend with its API key, or the tenant's admins.
            new Rule(null, List.of(TENANT + "/app-users", TENANT + "/app-users/**"), Role.ADMIN, true, true),
            // ACD: agents with their session token; queue definitions are written by admins.
            rule(null, Role.AGENT, false, "/api/v1/agents/**", "/ws/agent"),
            rule(null, Role.SUPERVISOR, false, "/ws/supervisor"),
            rule(null, Role.AGENT, false, "/api/v1/queues", "/api/v1/queues/**"),
            rule(HttpMethod.POST, Role.SUPERVISOR, true, TENANT + "/queues/*/callers/**"), // moving a waiting caller
            rule(HttpMethod.POST, Role.ADMIN, true, TENANT + "/queues", TENANT + "/queues/**"),
            rule(HttpMethod.PUT, Role.ADMIN, true, TENANT + "/queues/**"),
            rule(HttpMethod.DELETE, Role.ADMIN, true, TENANT + "/queues/**"),
            rule(null, Role.SUPERVISOR, true, TENANT + "/**"));

    private ApiAccessRules() {
    }

    /** The rule that decides a request, empty when none does (then any signed-in user may). */
    public static Optional<Rule> ruleFor(HttpMethod method, String path) {
        return RULES.stream().filter(rule -> rule.matches(method, path)).findFirst();
    }

    private static Rule anyone(String... patterns) {
        return new Rule(null, List.of(patterns), null, false, false);
    }

    private static Rule rule(HttpMethod method, Role role, boolean tenant, String... patterns) {
        return new Rule(method, List.of(patterns), role, tenant, false);
    }
}
