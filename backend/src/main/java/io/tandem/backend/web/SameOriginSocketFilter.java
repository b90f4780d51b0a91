package io.tandem.backend.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a WebSocket handshake authenticated by the panel's session cookie when it comes from another origin.
 * Browsers send cookies with cross-site WebSocket handshakes where SameSite allows and the same-origin policy does
 * not cover WebSockets (RFC 6455 §10.2: the server must check {@code Origin}), so without this any page a
 * supervisor visits could read the tenant's events. Basic-authenticated clients never reach this chain.
 */
final class SameOriginSocketFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SameOriginSocketFilter.class);

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !PanelPaths.SUPERVISOR_SOCKET.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !sameOrigin(origin, request)) {
            log.warn("refused a panel WebSocket from origin {} (served as {}://{}:{})", origin, request.getScheme(),
                    request.getServerName(), request.getServerPort());
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "cross-origin WebSocket refused");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = new URI(origin);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return request.getScheme().equalsIgnoreCase(uri.getScheme())
                    && request.getServerName().equalsIgnoreCase(uri.getHost())
                    && request.getServerPort() == port;
        } catch (URISyntaxException e) {
            return false; // an Origin that is no URI is no origin of ours
        }
    }
}
