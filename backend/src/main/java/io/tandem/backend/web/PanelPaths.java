package io.tandem.backend.web;

import io.tandem.protocol.ApiPaths;

/** The panel's URLs, in one place for the controller, the security chain and the templates' links. */
final class PanelPaths {

    static final String SIGN_IN = "/panel/sign-in";
    static final String SIGN_OUT = "/panel/sign-out";
    static final String WALLBOARD = "/panel/wallboard";
    static final String AGENTS = "/panel/agents";
    static final String CALLERS = "/panel/callers";
    static final String CLUSTER = "/panel/cluster";
    static final String THRESHOLDS = "/panel/thresholds";
    static final String REPORTS = "/panel/reports";
    static final String TICKETS = "/panel/callbacks";
    static final String ADMIN_QUEUES = "/panel/admin/queues";
    static final String ADMIN_USERS = "/panel/admin/users";
    static final String ADMIN_PAGES = "/panel/admin/**";
    /** Libraries from webjars (uPlot), version resolved by webjars-locator-lite. */
    static final String WEBJARS = "/webjars/**";
    static final String CLUSTER_NODES = "/api/v1/cluster/nodes";
    /** springdoc's Swagger UI and the description it reads (see application.properties). */
    static final String SWAGGER_UI = "/swagger-ui.html";
    static final String SWAGGER_ASSETS = "/swagger-ui/**";
    static final String API_DOCS = "/v3/api-docs";
    static final String API_DOCS_ALL = "/v3/api-docs/**";
    static final String NOT_ALLOWED = "/panel/not-allowed";
    static final String SUPERVISOR_SOCKET = ApiPaths.WS_SUPERVISOR;

    private PanelPaths() {
    }
}
