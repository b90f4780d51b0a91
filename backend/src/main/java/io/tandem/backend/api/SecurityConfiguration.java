package io.tandem.backend.api;

import static io.tandem.backend.api.Access.role;
import static io.tandem.backend.api.Access.tenantApiKeyOrRole;
import static io.tandem.backend.api.Access.tenantRole;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.directory.ApiKeys;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.DirectoryProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may call what. Everything needs a directory user except health; tenant APIs additionally require the
 * caller to belong to the tenant in the path. Stateless HTTP Basic, the bearer token of an agent session (see
 * {@link BearerTokenFilter}), or on the app-user API a tenant's API key ({@link ApiKeyFilter}): no cookies, so no
 * CSRF surface.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** A bean, so Boot does not add its generated-password user store. */
    @Bean
    DirectoryAuthenticationProvider directoryAuthenticationProvider(Directory directory,
            DirectoryProperties properties) {
        return new DirectoryAuthenticationProvider(directory, properties);
    }

    /** Roles nest: admin ⊇ supervisor ⊇ agent; the panel's filter chain uses the same hierarchy. */
    @Bean
    RoleHierarchy roleHierarchy() {
        return Access.HIERARCHY;
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, DirectoryAuthenticationProvider provider, ObjectMapper json,
            ObjectProvider<BearerTokens> bearerTokens, RoleHierarchy hierarchy, ApiKeys apiKeys) throws Exception {
        BearerTokens tokens = bearerTokens.getIfAvailable(() -> token -> Optional.empty());
        http.authenticationProvider(provider)
                .addFilterBefore(new BearerTokenFilter(tokens, json), BasicAuthenticationFilter.class)
                .addFilterBefore(new ApiKeyFilter(apiKeys, json), BasicAuthenticationFilter.class)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) ->
                        writeProblem(json, response, HttpStatus.UNAUTHORIZED, "Authentication required",
                                "log in with HTTP Basic as extension@tenant, or X-Api-Key on the app-user API")))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((request, response, e) ->
                                writeProblem(json, response, HttpStatus.UNAUTHORIZED, "Authentication required",
                                        "log in with HTTP Basic as extension@tenant, or X-Api-Key on the app-user API"))
                        .accessDeniedHandler((request, response, e) ->
                                writeProblem(json, response, HttpStatus.FORBIDDEN, "Forbidden",
                                        "your role does not allow " + request.getMethod() + " "
                                                + request.getRequestURI())))
                .authorizeHttpRequests(auth -> {
                    auth.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    for (ApiAccessRules.Rule rule : ApiAccessRules.RULES) {
                        String[] patterns = rule.patterns().toArray(String[]::new);
                        var matched = rule.method() == null ? auth.requestMatchers(patterns)
                                : auth.requestMatchers(rule.method(), patterns);
                        if (rule.role() == null) {
                            matched.permitAll();
                        } else if (rule.apiKey()) {
                            matched.access(tenantApiKeyOrRole(rule.role().name(), hierarchy));
                        } else if (rule.tenant()) {
                            matched.access(tenantRole(rule.role().name(), hierarchy));
                        } else {
                            matched.access(role(rule.role().name(), hierarchy));
                        }
                    }
                    auth.anyRequest().authenticated();
                });
        return http.build();
    }

    static void writeProblem(ObjectMapper json, HttpServletResponse response, HttpStatus status, String title,
            String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        response.setStatus(status.value());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"tandem\", charset=\"UTF-8\"");
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
