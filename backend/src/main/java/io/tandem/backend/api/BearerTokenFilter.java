package io.tandem.backend.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.directory.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <token>} from an agent login (RFC 6750 §2.1); on the WebSocket paths also
 * {@code ?token=} (§2.3), because browsers cannot set headers on a WebSocket handshake. A token that resolves to
 * nobody is a 401 problem at once rather than a fall-through to other schemes.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    private final BearerTokens tokens;
    private final ObjectMapper json;

    BearerTokenFilter(BearerTokens tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = token(request);
        if (token == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<TenantPrincipal> principal = tokens.resolve(token);
        if (principal.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            SecurityConfiguration.writeProblem(json, response, HttpStatus.UNAUTHORIZED, "Invalid token",
                    "the session token is unknown or expired; log in again");
            return;
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (Role role : principal.get().roles()) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + role.name()));
        }
        SecurityContextHolder.getContext().setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(principal.get(), null, authorities));
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static String token(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return header.substring(PREFIX.length()).trim();
        }
        if (request.getRequestURI().startsWith("/ws/")) {
            String query = request.getParameter("token");
            if (query != null && !query.isBlank()) {
                return query;
            }
        }
        return null;
    }
}
