package io.tandem.backend.directory;

/**
 * What a user of the directory is. Both kinds have SIP digest credentials and share the tenant's numbering, so an
 * app user's id is never also an extension.
 */
public enum UserKind {
    /** A staff member's extension: agents, supervisors, admins; roles say what they may do. */
    EXTENSION,
    /**
     * A customer calling from the tenant's mobile app: provisioned by the tenant's business backend with an API key,
     * holds no role, may call only the tenant's service numbers, and may be called by extensions (callbacks).
     */
    APP_USER;

    /** The value of the user hash's {@code kind} field; extensions have none (users stored before kinds existed). */
    String wireName() {
        return this == APP_USER ? "app-user" : "";
    }

    static UserKind fromWire(String value) {
        return "app-user".equals(value) ? APP_USER : EXTENSION;
    }
}
