package io.tandem.backend.web;

import io.tandem.protocol.ApiPaths;

/** The panel's URLs, in one place for the controller, the security chain and the templates' links. */
final class PanelPaths {

    static final String SIGN_IN = "/panel/sign-in";
    static final String SIGN_OUT = "/panel/sign-out";
    static final String WALLBOARD = "/panel/wallboard";
    static final String AGENTS = "/panel/agents";
    static final String NOT_ALLOWED = "/panel/not-allowed";
    static final String SUPERVISOR_SOCKET = ApiPaths.WS_SUPERVISOR;

    private PanelPaths() {
    }
}
