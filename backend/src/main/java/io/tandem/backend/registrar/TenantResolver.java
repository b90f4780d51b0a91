package io.tandem.backend.registrar;

import io.tandem.backend.directory.DirectoryProperties;
import io.tandem.backend.node.DemoProperties;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.SipProperties;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tenant a SIP domain belongs to: a tenant answers for its own name as a domain ({@code sip:1001@acme.example}
 * → tenant {@code acme.example}), and the demo (or default) tenant also for the node's own addresses, so a phone
 * configured with the node's IP registers without a DNS name.
 *
 * <p>A tenant is never removed from the directory ({@code Directory} only adds to {@code tandem:tenants}), so a domain
 * found served once stays served: it is remembered and asked of Redis no more (a REGISTER to a tenant's domain used
 * to cost a SISMEMBER round trip, twice per registration). A domain not served is asked again every time, so a tenant
 * created on another node is served at once; the remembered ones are bounded by {@link #MAX_REMEMBERED}.
 */
public final class TenantResolver {

    /** Tenant domains remembered as served; beyond this many, further ones are asked of Redis each time. */
    static final int MAX_REMEMBERED = 10_000;

    private final Set<String> served = ConcurrentHashMap.newKeySet();
    private final Redis redis;
    private final Set<String> nodeHosts = new HashSet<>();
    private final String nodeTenant;

    TenantResolver(Redis redis, DemoProperties demo, DirectoryProperties directory, SipProperties sip) {
        this.redis = redis;
        this.nodeTenant = demo.enabled() ? demo.tenant() : directory.defaultTenant();
        nodeHosts.addAll(List.of("127.0.0.1", "localhost", "::1", "[::1]", new NodeAddresses(sip).host().toLowerCase(Locale.ROOT),
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
        if (served.contains(h)) {
            return Optional.of(h);
        }
        if (Keys.TENANT.matcher(h).matches() && redis.commands().sismember(Keys.tenants(), h)) {
            if (served.size() < MAX_REMEMBERED) {
                served.add(h);
            }
            return Optional.of(h);
        }
        return Optional.empty();
    }
}
