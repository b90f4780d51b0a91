package io.tandem.callback.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.CallbackProperties;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The API needs HTTP Basic as a supervisor or admin of the tenant it reads (RFC 7617); actuator endpoints (health,
 * info, prometheus) are open, as on the nodes. No sessions and no CSRF tokens: every request carries its credentials.
 * 401 and 403 answer with a problem body (RFC 9457).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Bean
    SecurityFilterChain api(HttpSecurity http, RedisCommands<String, String> redis, CallbackProperties properties)
            throws Exception {
        http.authenticationProvider(new DirectoryUsers(redis, properties))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/**", "/error").permitAll()
                        .requestMatchers("/api/**").hasAnyRole("SUPERVISOR", "ADMIN")
                        .anyRequest().denyAll())
                .httpBasic(basic -> basic.realmName("tandem").authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"tandem\", charset=\"UTF-8\"");
                    problem(response, HttpStatus.UNAUTHORIZED, "Authentication required",
                            "sign in with HTTP Basic as extension@tenant");
                }))
                .exceptionHandling(ex -> ex.accessDeniedHandler((request, response, e) -> problem(response,
                        HttpStatus.FORBIDDEN, "Forbidden", "the callback API needs the supervisor or admin role")));
        return http.build();
    }

    private static void problem(HttpServletResponse response, HttpStatus status, String title, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
