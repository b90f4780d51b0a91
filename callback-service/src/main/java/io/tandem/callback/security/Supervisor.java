package io.tandem.callback.security;

import java.util.Set;

/**
 * Who signed in to the service's API: a user of a tenant (the nodes' directory), with the roles the directory gives.
 *
 * @param tenant    the user's tenant
 * @param extension the user's extension
 * @param roles     wire names ({@code agent}, {@code supervisor}, {@code admin})
 */
public record Supervisor(String tenant, String extension, Set<String> roles) {

    public Supervisor {
        roles = Set.copyOf(roles);
    }
}
