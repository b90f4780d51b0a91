package io.tandem.backend.registrar;

import io.tandem.backend.directory.DirectoryProperties;
import io.tandem.backend.node.DemoProperties;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.SipProperties;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which tenant a SIP domain belongs to: a tenant answers for its own name as a domain ({@code sip:1001@acme.example}
 * → tenant {@code acme.example}), and the demo (or default) tenant also for the node's own addresses, so a phone
 * configured with the node's IP registers without a DNS name.
 */
public final class TenantResolver {

    private final Redis redis;
    private final Set<String> nodeHosts = new HashSet<>();
    private final String nodeTenant;

    TenantResolver(Redis redis, DemoProperties demo, DirectoryProperties directory, SipProperties sip) {
        this.redis = redis;
        this.nodeTenant = demo.enabled() ? demo.tenant() : directory.defaultTenant();
        nodeHosts.addAll(java.util.List.of("127.0.0.1", "localhost", "::1", "[::1]", new NodeAddresses(sip).host().toLowerCase(Locale.ROOT),
                sip.bindAddress().toLowerCase(Locale.ROOT)));
    }

    /** The tenant serving {@code host}, if any. */
    public Optional<String> tenantFor(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (nodeHosts.contains(h)) {
            return Optional.of(nodeTenant);
        }
        if (Keys.TENANT.matcher(h).matches() && redis.commands().sismember(Keys.tenants(), h)) {
            return Optional.of(h);
        }
        return Optional.empty();
    }
}
