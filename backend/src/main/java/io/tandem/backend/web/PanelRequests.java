package io.tandem.backend.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which requests the panel's session-cookie filter chain serves: its pages and assets, and the panel's own calls to
 * the tenant REST API and the supervisor WebSocket. Those calls are told apart from API clients by what they carry:
 * a session cookie and no {@code Authorization} header. A script with Basic or a bearer token keeps the stateless
 * API chain, and a request without either keeps the API's 401 problem answer.
 */
final class PanelRequests {

    /** Pages and static assets of the panel. */
    static final RequestMatcher PAGES = new OrRequestMatcher(path("/"), path("/panel"), path("/panel/**"),
            path("/favicon.ico"), path(PanelPaths.SWAGGER_UI), path(PanelPaths.SWAGGER_ASSETS),
            path(PanelPaths.WEBJARS));

    /** API and WebSocket paths the panel calls with its session. */
    static final RequestMatcher SESSION_CALLS = new OrRequestMatcher(path("/api/v1/tenants/**"),
            path(PanelPaths.CLUSTER_NODES), path(PanelPaths.SUPERVISOR_SOCKET), path(PanelPaths.API_DOCS),
            path(PanelPaths.API_DOCS_ALL));

    /** Everything the panel chain takes. */
    static final RequestMatcher ALL = new OrRequestMatcher(PAGES,
            request -> SESSION_CALLS.matches(request) && carriesSessionOnly(request));

    private PanelRequests() {
    }

    private static boolean carriesSessionOnly(HttpServletRequest request) {
        return request.getRequestedSessionId() != null && request.getHeader(HttpHeaders.AUTHORIZATION) == null;
    }

    private static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }
}
