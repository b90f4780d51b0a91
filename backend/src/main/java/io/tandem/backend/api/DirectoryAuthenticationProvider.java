package io.tandem.backend.api;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.DirectoryProperties;
import io.tandem.backend.directory.Role;
import io.tandem.backend.directory.User;
import io.tandem.backend.redis.Keys;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * HTTP Basic against the directory. The login is {@code extension@tenant} (or just the extension in the default
 * tenant); the password is checked through its HA1, never stored or compared in clear. The API's Basic and the
 * panel's sign-in form both authenticate through it.
 */
public final class DirectoryAuthenticationProvider implements AuthenticationProvider {

    private final Directory directory;
    private final DirectoryProperties properties;

    DirectoryAuthenticationProvider(Directory directory, DirectoryProperties properties) {
        this.directory = directory;
        this.properties = properties;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String login = authentication.getName();
        Object credentials = authentication.getCredentials();
        int at = login.lastIndexOf('@');
        String extension = at < 0 ? login : login.substring(0, at);
        String tenant = at < 0 ? properties.defaultTenant() : login.substring(at + 1);
        if (!Keys.TENANT.matcher(tenant).matches() || !Keys.EXTENSION.matcher(extension).matches()
                || credentials == null) {
            throw new BadCredentialsException("bad credentials");
        }
        // An app user's SIP password is not a login to the API or the panel: customers have no business there.
        User user = directory.authenticate(tenant, extension, credentials.toString())
                .filter(found -> !found.isAppUser())
                .orElseThrow(() -> new BadCredentialsException("bad credentials"));
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (Role role : user.roles()) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + role.name()));
        }
        TenantPrincipal principal = new TenantPrincipal(tenant, extension, user.roles());
        return UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
