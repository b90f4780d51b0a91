package io.tandem.backend.directory;

import java.util.Locale;

/** What a user may do; each role includes the ones below it (admin ⊇ supervisor ⊇ agent). */
public enum Role {
    AGENT, SUPERVISOR, ADMIN;

    /** Lower-case name used in Redis and JSON. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; unknown names are an {@link IllegalArgumentException} naming the value. */
    public static Role fromWire(String value) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + value + "' (agent, supervisor, admin)");
    }
}
