package io.tandem.backend.directory;

import java.util.Map;
import java.util.Set;

/**
 * A user of a tenant, as stored. The password is never kept: only its digest HA1s (RFC 7616 §3.4.2,
 * {@code H(username ":" realm ":" password)} with the tenant as realm).
 *
 * @param tenant      tenant (and digest realm)
 * @param extension   extension, also the SIP and HTTP user name
 * @param displayName name shown to callers and supervisors
 * @param roles       what the user may do
 * @param ha1Md5      hex MD5 HA1 (RFC 2617 clients)
 * @param ha1Sha256   hex SHA-256 HA1 (RFC 7616 clients)
 * @param skills      skill name → level 0-100, used by the ACD
 * @param kind        an extension (staff) or an app user (a customer of the tenant's app)
 */
public record User(String tenant, String extension, String displayName, Set<Role> roles, String ha1Md5,
        String ha1Sha256, Map<String, Integer> skills, UserKind kind) {

    public User {
        roles = Set.copyOf(roles);
        skills = Map.copyOf(skills);
    }

    /** A customer of the tenant's app rather than an extension: see {@link UserKind#APP_USER}. */
    public boolean isAppUser() {
        return kind == UserKind.APP_USER;
    }

    public boolean has(Role role) {
        for (Role held : roles) {
            if (held.compareTo(role) >= 0) {
                return true;
            }
        }
        return false;
    }
}
