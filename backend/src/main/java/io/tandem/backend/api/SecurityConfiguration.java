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
import org.springframework.http.HttpMethod;
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
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").access(role("SUPERVISOR", hierarchy))
                        .requestMatchers("/api/v1/cluster/**").access(role("SUPERVISOR", hierarchy))
                        .requestMatchers("/api/v1/tenants/{tenant}/users", "/api/v1/tenants/{tenant}/users/**")
                        .access(tenantRole("ADMIN", hierarchy))
                        .requestMatchers("/api/v1/tenants/{tenant}/api-keys", "/api/v1/tenants/{tenant}/api-keys/**")
                        .access(tenantRole("ADMIN", hierarchy))
                        // App users: the tenant's business backend with its API key, or the tenant's admins.
                        .requestMatchers("/api/v1/tenants/{tenant}/app-users",
                                "/api/v1/tenants/{tenant}/app-users/**")
                        .access(tenantApiKeyOrRole("ADMIN", hierarchy))
                        // ACD: agents with their session token; queue definitions are written by admins.
                        .requestMatchers("/api/v1/agents/**", "/ws/agent").access(role("AGENT", hierarchy))
                        .requestMatchers("/ws/supervisor").access(role("SUPERVISOR", hierarchy))
                        .requestMatchers("/api/v1/queues", "/api/v1/queues/**").access(role("AGENT", hierarchy))
                        .requestMatchers(HttpMethod.POST, "/api/v1/tenants/{tenant}/queues/*/callers/**")
                        .access(tenantRole("SUPERVISOR", hierarchy)) // moving a waiting caller
                        .requestMatchers(HttpMethod.POST, "/api/v1/tenants/{tenant}/queues",
                                "/api/v1/tenants/{tenant}/queues/**").access(tenantRole("ADMIN", hierarchy))
                        .requestMatchers(HttpMethod.PUT, "/api/v1/tenants/{tenant}/queues/**")
                        .access(tenantRole("ADMIN", hierarchy))
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/tenants/{tenant}/queues/**")
                        .access(tenantRole("ADMIN", hierarchy))
                        .requestMatchers("/api/v1/tenants/{tenant}/**").access(tenantRole("SUPERVISOR", hierarchy))
                        .anyRequest().authenticated());
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
