package io.tandem.backend.api;

import java.util.function.Supplier;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Request authorization rules shared by the API's and the panel's filter chains, so both read roles the same way.
 */
public final class Access {

    /** Roles nest: admin ⊇ supervisor ⊇ agent. */
    public static final RoleHierarchy HIERARCHY = RoleHierarchyImpl.fromHierarchy("""
            ROLE_ADMIN > ROLE_SUPERVISOR
            ROLE_SUPERVISOR > ROLE_AGENT
            """);

    private Access() {
    }

    /** The role or one above it. */
    public static AuthorizationManager<RequestAuthorizationContext> role(String role, RoleHierarchy hierarchy) {
        AuthorityAuthorizationManager<RequestAuthorizationContext> manager =
                AuthorityAuthorizationManager.hasRole(role);
        manager.setRoleHierarchy(hierarchy);
        return manager;
    }

    /** The authority of a request made with a tenant's API key ({@link ApiKeyFilter}); not a role of any user. */
    public static final String API_KEY = "API_KEY";

    /**
     * A tenant's API key, or the role held by a user, either of the tenant named in the path variable
     * {@code tenant}: a key of another tenant is refused (403) like a user of another tenant.
     */
    public static AuthorizationManager<RequestAuthorizationContext> tenantApiKeyOrRole(String role,
            RoleHierarchy hierarchy) {
        AuthorizationManager<RequestAuthorizationContext> tenantRole = tenantRole(role, hierarchy);
        return new AuthorizationManager<>() {
            @Override
            @SuppressWarnings("deprecation")
            public AuthorizationDecision check(Supplier<Authentication> authentication,
                    RequestAuthorizationContext context) {
                Authentication who = authentication.get();
                boolean apiKey = who != null && who.getAuthorities().stream()
                        .anyMatch(authority -> API_KEY.equals(authority.getAuthority()));
                if (!apiKey) {
                    return tenantRole.check(authentication, context);
                }
                String tenant = context.getVariables().get("tenant");
                return new AuthorizationDecision(who.getPrincipal() instanceof TenantPrincipal key
                        && key.tenant().equals(tenant));
            }
        };
    }

    /** The role, held by a user of the tenant named in the path variable {@code tenant}. */
    public static AuthorizationManager<RequestAuthorizationContext> tenantRole(String role, RoleHierarchy hierarchy) {
        AuthorizationManager<RequestAuthorizationContext> hasRole = role(role, hierarchy);
        return new AuthorizationManager<>() {
            @Override
            @SuppressWarnings("deprecation")
            public AuthorizationDecision check(Supplier<Authentication> authentication,
                    RequestAuthorizationContext context) {
                AuthorizationDecision decision = hasRole.check(authentication, context);
                if (decision == null || !decision.isGranted()) {
                    return new AuthorizationDecision(false);
                }
                Object principal = authentication.get().getPrincipal();
                String tenant = context.getVariables().get("tenant");
                return new AuthorizationDecision(principal instanceof TenantPrincipal user
                        && user.tenant().equals(tenant));
            }
        };
    }
}
