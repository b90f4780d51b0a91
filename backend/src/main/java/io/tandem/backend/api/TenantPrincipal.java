package io.tandem.backend.api;

import io.tandem.backend.directory.Role;
import java.util.Set;

/**
 * The authenticated caller of the REST API: a user of one tenant.
 *
 * @param tenant    the user's tenant; tenant-scoped endpoints only serve this tenant
 * @param extension the user's extension (login)
 * @param roles     the user's roles
 */
public record TenantPrincipal(String tenant, String extension, Set<Role> roles) {

    /** {@code extension@tenant}, as in logs. */
    public String name() {
        return extension + "@" + tenant;
    }
}
