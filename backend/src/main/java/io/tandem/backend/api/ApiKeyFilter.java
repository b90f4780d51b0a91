package io.tandem.backend.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.directory.ApiKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code X-Api-Key: <key>} of a tenant's business backend, on the app-user API only: anywhere else the header is
 * ignored, so a key never opens more than provisioning app users. A key that resolves to nothing is a 401 problem
 * at once; a key of another tenant than the path's is refused by {@link Access#tenantApiKeyOrRole} (403).
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";
    /** The paths a key opens. */
    private static final Pattern APP_USERS = Pattern.compile("/api/v1/tenants/[^/]+/app-users(/.*)?");

    private final ApiKeys keys;
    private final ObjectMapper json;

    ApiKeyFilter(ApiKeys keys, ObjectMapper json) {
        this.keys = keys;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key == null || !APP_USERS.matcher(request.getRequestURI()).matches()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiKeys.ApiKey> found = keys.resolve(key.trim());
        if (found.isEmpty()) {
            SecurityConfiguration.writeProblem(json, response, HttpStatus.UNAUTHORIZED, "Invalid API key",
                    "the " + HEADER + " is unknown or revoked");
            return;
        }
        TenantPrincipal principal = new TenantPrincipal(found.get().tenant(), "api-key:" + found.get().id(),
                Set.of());
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                principal, null, List.of(new SimpleGrantedAuthority(Access.API_KEY))));
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
