package io.tandem.callback.security;

import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.CallbackProperties;
import io.tandem.protocol.callback.NodeKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * HTTP Basic against the nodes' directory in Redis ({@code tandem:{t}:user:<ext>}), as the nodes check it: the login
 * is {@code extension@tenant} (or the extension alone in the default tenant), and the password is checked through its
 * HA1 — {@code SHA-256(extension ":" tenant ":" password)} in lower-case hex (RFC 7616 §3.4.2, the tenant is the
 * realm) compared in constant time with the stored {@code ha1sha256}. Roles include the ones below them
 * (admin ⊇ supervisor ⊇ agent), as on the nodes.
 */
final class DirectoryUsers implements AuthenticationProvider {

    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final List<String> ROLES = List.of("agent", "supervisor", "admin");
    /** Compared against when the user is unknown, so the answer takes as long as for a known one. */
    private static final String NO_HA1 = "0".repeat(64);

    private final RedisCommands<String, String> redis;
    private final CallbackProperties properties;

    DirectoryUsers(RedisCommands<String, String> redis, CallbackProperties properties) {
        this.redis = redis;
        this.properties = properties;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String login = authentication.getName();
        Object credentials = authentication.getCredentials();
        int at = login.lastIndexOf('@');
        String extension = at < 0 ? login : login.substring(0, at);
        String tenant = at < 0 ? properties.defaultTenant() : login.substring(at + 1);
        if (!TENANT.matcher(tenant).matches() || !EXTENSION.matcher(extension).matches() || credentials == null) {
            throw new BadCredentialsException("bad credentials");
        }
        Map<String, String> user = redis.hgetall(NodeKeys.user(tenant, extension));
        String offered = ha1Sha256(extension, tenant, credentials.toString());
        String stored = user.getOrDefault("ha1sha256", NO_HA1);
        // Compared even for an unknown user, so the time taken does not tell which extensions exist.
        boolean matches = MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                offered.getBytes(StandardCharsets.US_ASCII));
        if (user.isEmpty() || !matches) {
            throw new BadCredentialsException("bad credentials");
        }
        Set<String> roles = rolesWithTheOnesBelow(user.getOrDefault("roles", ""));
        List<GrantedAuthority> authorities = new ArrayList<>();
        roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role.toUpperCase(Locale.ROOT))));
        return UsernamePasswordAuthenticationToken.authenticated(new Supervisor(tenant, extension, roles), null,
                authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    static Set<String> rolesWithTheOnesBelow(String encoded) {
        int highest = -1;
        for (String role : encoded.split(",")) {
            highest = Math.max(highest, ROLES.indexOf(role.trim()));
        }
        return new LinkedHashSet<>(ROLES.subList(0, highest + 1));
    }

    static String ha1Sha256(String user, String realm, String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((user + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
