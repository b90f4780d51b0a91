package io.tandem.backend.directory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** JSON bodies of the user API. */
final class UserRequests {

    static final String EXTENSION = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    static final String ROLE = "agent|supervisor|admin";
    static final String SKILL = "[a-z0-9][a-z0-9_-]{0,31}";

    private UserRequests() {
    }

    /** POST body: a new user. The password is only used to compute the HA1s. */
    record NewUser(
            @NotBlank @Pattern(regexp = EXTENSION, message = "must be 1-64 letters, digits, '.', '_' or '-'")
            String extension,
            @Size(max = 128) String displayName,
            @NotBlank @Size(min = 6, max = 128) String password,
            @NotEmpty Set<@NotNull @Pattern(regexp = ROLE, message = "must be agent, supervisor or admin") String> roles,
            Map<@Pattern(regexp = SKILL, message = "skill names are 1-32 of a-z, 0-9, '_', '-'") String,
                    @NotNull @Min(0) @Max(100) Integer> skills) {
    }

    /** PUT body: the parts to change; absent fields stay as they are, {@code skills} replaces all skills. */
    record UserChange(
            @Size(min = 1, max = 128) String displayName,
            @Size(min = 6, max = 128) String password,
            @Size(min = 1) Set<@NotNull @Pattern(regexp = ROLE, message = "must be agent, supervisor or admin") String> roles,
            Map<@Pattern(regexp = SKILL, message = "skill names are 1-32 of a-z, 0-9, '_', '-'") String,
                    @NotNull @Min(0) @Max(100) Integer> skills) {
    }

    /** A user as the API shows it: never a hash. */
    record UserView(String tenant, String extension, String displayName, Set<String> roles,
            Map<String, Integer> skills) {

        static UserView of(User user) {
            Set<String> roles = new java.util.TreeSet<>();
            user.roles().forEach(role -> roles.add(role.wireName()));
            return new UserView(user.tenant(), user.extension(), user.displayName(), roles,
                    new java.util.TreeMap<>(user.skills()));
        }
    }

    static Set<Role> roles(Set<String> names) {
        if (names == null) {
            return null;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.forEach(name -> roles.add(Role.fromWire(name)));
        return roles;
    }
}
