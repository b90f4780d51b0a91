package io.tandem.backend.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.tandem.backend.node.NodeIdentity;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The REST API's OpenAPI description ({@code /v3/api-docs}, springdoc): every operation states the role it needs,
 * read from {@link ApiAccessRules}, the table the security chain enforces, so the description cannot drift from it.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String BASIC = "basic";
    static final String BEARER = "agentToken";
    /** Extension on each operation: the least role, for tools that read it rather than the description. */
    static final String ROLE_EXTENSION = "x-tandem-role";
    private static final String CONTROLLER = "-controller";

    @Bean
    OpenAPI tandemOpenApi(NodeIdentity node) {
        return new OpenAPI()
                .info(new Info().title("Tandem call center API").version(node.version())
                        .description("Every node serves the same API over one shared Redis. Users are "
                                + "`extension@tenant`; roles nest (admin ⊇ supervisor ⊇ agent). Times are ISO-8601. "
                                + "Errors are RFC 9457 problem bodies; an invalid field is named under `errors`, and "
                                + "an unknown enum value lists the allowed ones."))
                .components(new Components()
                        .addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("extension@tenant and password"))
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("an agent session's token, from POST "
                                        + "/api/v1/agents/login")));
    }

    @Bean
    OpenApiCustomizer rolesFromAccessRules() {
        return api -> {
            api.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> describe(path, method, operation)));
            api.getPaths().values().forEach(item -> item.readOperations().forEach(ApiDocumentation::domainTags));
            if (api.getTags() != null) {
                api.getTags().forEach(tag -> tag.setName(domainTag(tag.getName())));
            }
        };
    }

    /** Groups read "queue", not "queue-controller": springdoc names a controller's tag after its class. */
    private static void domainTags(Operation operation) {
        if (operation.getTags() != null) {
            operation.setTags(operation.getTags().stream().map(ApiDocumentation::domainTag).toList());
        }
    }

    private static String domainTag(String tag) {
        return tag.endsWith(CONTROLLER) ? tag.substring(0, tag.length() - CONTROLLER.length()) : tag;
    }

    private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
        Optional<ApiAccessRules.Rule> rule = ApiAccessRules.ruleFor(HttpMethod.valueOf(method.name()), path);
        String role = rule.map(ApiAccessRules.Rule::describe).orElse("Role: any signed-in user.");
        String summary = operation.getDescription() == null ? "" : operation.getDescription() + "\n\n";
        operation.setDescription(summary + "**" + role + "**");
        operation.addExtension(ROLE_EXTENSION, rule.map(r -> r.role() == null ? "anyone"
                : r.role().wireName() + (r.tenant() ? " of the tenant" : "")).orElse("any"));
        if (rule.map(r -> r.role() != null).orElse(true)) {
            operation.addSecurityItem(new SecurityRequirement().addList(BASIC));
            operation.addSecurityItem(new SecurityRequirement().addList(BEARER));
        }
    }
}
