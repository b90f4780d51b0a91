package io.tandem.backend.phone;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The browser phone's own filter chain, before the panel's and the API's: its page, module and settings are
 * public (they hold nothing of anyone's; the agent signs in through the agent API from the page, HTTP Basic then a
 * bearer token, so there is no session and no CSRF to guard), under a Content-Security-Policy without inline
 * script.
 */
@Configuration(proxyBeanMethods = false)
class PhoneSecurityConfiguration {

    /**
     * Scripts only from the node; {@code connect-src} also allows {@code wss:}, as the edge's WebSocket is another
     * origin (its host or port is the operator's choice, {@code tandem.phone.edge-wss-uri}); media from the peer
     * connection arrives as a stream, not a URL.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self' wss:; media-src 'self' blob:; object-src 'none'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Bean
    @Order(0)
    SecurityFilterChain phone(HttpSecurity http) throws Exception {
        http.securityMatcher(PhoneController.PAGE, PhoneController.PAGE + "/**")
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }
}
