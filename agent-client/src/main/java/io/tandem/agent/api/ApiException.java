package io.tandem.agent.api;

/**
 * Why a call to the node failed, in words an agent can act on; {@link #kind()} lets a view model choose what to
 * highlight (the password field for {@link Kind#WRONG_CREDENTIALS}, the URL field for {@link Kind#BAD_URL}...).
 */
public final class ApiException extends Exception {

    public enum Kind {
        /** The URL is not an http(s) URL. */
        BAD_URL,
        /** Nothing answers at that address (refused, unknown host, timeout). */
        UNREACHABLE,
        /** 401: agent id, tenant or password wrong. */
        WRONG_CREDENTIALS,
        /** 403: the user exists but is not an agent. */
        FORBIDDEN,
        /** 404 on a path of the agent API: the node does not serve it (an older or non-Tandem server). */
        NOT_SUPPORTED,
        /** Anything else the node refused, with its problem detail. */
        REFUSED
    }

    private final Kind kind;
    private final int status;

    public ApiException(Kind kind, int status, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
    }

    public ApiException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = 0;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }
}
