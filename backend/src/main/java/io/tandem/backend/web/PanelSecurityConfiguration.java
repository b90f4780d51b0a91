package io.tandem.backend.web;

import static io.tandem.backend.api.Access.role;
import static io.tandem.backend.api.Access.tenantRole;

import io.tandem.backend.api.DirectoryAuthenticationProvider;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The panel's filter chain, ordered before the stateless API chain: form sign-in with {@code extension@tenant}
 * against the directory, a session cookie, CSRF tokens on every state change, and a Content-Security-Policy that
 * forbids inline script. Only supervisors and admins get in; anyone else signed in sees the "not allowed" page.
 * The panel's own API calls (see {@link PanelRequests}) are limited to what its pages use.
 */
@Configuration(proxyBeanMethods = false)
class PanelSecurityConfiguration {

    /**
     * No inline script or style, nothing from elsewhere, no framing: escaping mistakes cannot run code, and the
     * panel cannot be clickjacked. {@code connect-src 'self'} covers the same-origin WebSocket (CSP Level 3).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    @Order(1)
    SecurityFilterChain panel(HttpSecurity http, DirectoryAuthenticationProvider provider, RoleHierarchy hierarchy)
            throws Exception {
        RequestMatcher sessionCalls = PanelRequests.SESSION_CALLS;
        HttpSessionRequestCache pagesOnly = new HttpSessionRequestCache();
        pagesOnly.setRequestMatcher(PanelRequests.PAGES); // after sign-in, back to a page, never to an XHR
        AccessDeniedHandlerImpl notAllowedPage = new AccessDeniedHandlerImpl();
        notAllowedPage.setErrorPage(PanelPaths.NOT_ALLOWED);
        String api = "/api/v1/tenants/{tenant}";
        http.securityMatcher(PanelRequests.ALL)
                .authenticationProvider(provider)
                .requestCache(cache -> cache.requestCache(pagesOnly))
                .addFilterBefore(new SameOriginSocketFilter(), AuthorizationFilter.class)
                .formLogin(form -> form.loginPage(PanelPaths.SIGN_IN).loginProcessingUrl(PanelPaths.SIGN_IN)
                        .defaultSuccessUrl(PanelPaths.WALLBOARD).failureUrl(PanelPaths.SIGN_IN + "?error")
                        .permitAll())
                .logout(logout -> logout.logoutUrl(PanelPaths.SIGN_OUT)
                        .logoutSuccessUrl(PanelPaths.SIGN_IN + "?signed-out").permitAll())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .exceptionHandling(ex -> ex
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                                sessionCalls)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(PanelPaths.SIGN_IN),
                                PanelRequests.PAGES)
                        .defaultAccessDeniedHandlerFor((request, response, e) ->
                                response.sendError(HttpStatus.FORBIDDEN.value()), sessionCalls)
                        .defaultAccessDeniedHandlerFor(notAllowedPage, PanelRequests.PAGES))
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD).permitAll()
                        .requestMatchers("/", "/favicon.ico", "/panel/*.css", "/panel/*.svg").permitAll()
                        .requestMatchers(PanelPaths.NOT_ALLOWED).authenticated()
                        .requestMatchers(PanelPaths.SUPERVISOR_SOCKET).access(role("SUPERVISOR", hierarchy))
                        // No tenant's data: the nodes as their heartbeats describe them.
                        .requestMatchers(HttpMethod.GET, PanelPaths.CLUSTER_NODES).access(role("SUPERVISOR", hierarchy))
                        // The panel's calls: what its pages read and the agent actions, nothing else.
                        .requestMatchers(HttpMethod.GET, api + "/queues", api + "/queues/*/figures",
                                api + "/queues/*/callers", api + "/agents", api + "/agents/statistics", api + "/calls",
                                api + "/wallboard/thresholds", api + "/cdr", api + "/cdr.csv", api + "/queuelog",
                                api + "/queuelog.csv", api + "/reports/intervals", api + "/callback-tickets")
                        .access(tenantRole("SUPERVISOR", hierarchy))
                        .requestMatchers(HttpMethod.PUT, api + "/wallboard/thresholds/*")
                        .access(tenantRole("SUPERVISOR", hierarchy))
                        .requestMatchers(HttpMethod.DELETE, api + "/wallboard/thresholds/*")
                        .access(tenantRole("SUPERVISOR", hierarchy))
                        .requestMatchers(HttpMethod.PUT, api + "/agents/*/state").access(tenantRole("SUPERVISOR",
                                hierarchy))
                        .requestMatchers(HttpMethod.DELETE, api + "/agents/*").access(tenantRole("SUPERVISOR",
                                hierarchy))
                        .requestMatchers(HttpMethod.POST, api + "/queues/*/callers/*/move", api + "/calls/*/monitor",
                                api + "/callback-tickets/*/assign", api + "/callback-tickets/*/cancel")
                        .access(tenantRole("SUPERVISOR", hierarchy))
                        .requestMatchers(HttpMethod.DELETE, api + "/calls/*/monitor")
                        .access(tenantRole("SUPERVISOR", hierarchy))
                        // Administration: queue definitions and users, for the tenant's administrators.
                        .requestMatchers(HttpMethod.GET, api + "/queues/*", api + "/users", api + "/users/*")
                        .access(tenantRole("ADMIN", hierarchy))
                        .requestMatchers(HttpMethod.POST, api + "/queues", api + "/users")
                        .access(tenantRole("ADMIN", hierarchy))
                        .requestMatchers(HttpMethod.PUT, api + "/queues/*", api + "/users/*")
                        .access(tenantRole("ADMIN", hierarchy))
                        .requestMatchers(HttpMethod.DELETE, api + "/queues/*", api + "/users/*")
                        .access(tenantRole("ADMIN", hierarchy))
                        .requestMatchers("/api/**").denyAll()
                        // The API's description and its Swagger UI, for administrators (the UI's "try it out" sends
                        // HTTP Basic, which the API chain serves).
                        .requestMatchers(PanelPaths.SWAGGER_UI, PanelPaths.SWAGGER_ASSETS, PanelPaths.API_DOCS,
                                PanelPaths.API_DOCS_ALL).access(role("ADMIN", hierarchy))
                        .requestMatchers(PanelPaths.ADMIN_PAGES).access(role("ADMIN", hierarchy))
                        .anyRequest().access(role("SUPERVISOR", hierarchy)));
        return http.build();
    }
}
