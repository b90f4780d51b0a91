package io.tandem.backend.api;

import java.util.Optional;

/** Resolves an opaque bearer token (an agent session's) to its user; implemented by the ACD. */
public interface BearerTokens {

    Optional<TenantPrincipal> resolve(String token);
}
