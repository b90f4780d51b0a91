package io.tandem.backend.routing;

import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.registrar.Binding;
import io.tandem.backend.registrar.Bindings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Decides where a call to an extension goes: every live contact this node holds is rung directly; a contact held by
 * another live node is reached through that node over the inter-node trunk (one branch per node: that node rings
 * its own contacts). A call that arrived over the trunk is routed to local contacts only, so a call never crosses
 * more than one trunk hop and cannot loop.
 */
@Service
public class CallRouter {

    private final Directory directory;
    private final Bindings bindings;
    private final NodeRegistry nodes;
    private final String nodeId;

    public CallRouter(Directory directory, Bindings bindings, NodeRegistry nodes, NodeIdentity identity) {
        this.directory = directory;
        this.bindings = bindings;
        this.nodes = nodes;
        this.nodeId = identity.id();
    }

    /**
     * @param localOnly true for a call that came over the trunk: never forward it to another node
     */
    public Route route(String tenant, String extension, boolean localOnly) {
        if (!Keys.EXTENSION.matcher(extension).matches()) {
            return new Route.Unknown();
        }
        // The user check and the nodes' heartbeats travel with the binding lookup: one round trip to Redis for all.
        Supplier<Boolean> known = directory.knows(tenant, extension);
        NodeRegistry.Probe probe = nodes.probe();
        List<Binding> found = bindings.lookup(tenant, extension, probe);
        if (!known.get()) {
            return new Route.Unknown();
        }
        List<Route.Target> targets = new ArrayList<>();
        Set<String> remoteNodes = new LinkedHashSet<>();
        for (Binding binding : found) {
            if (binding.node().equals(nodeId)) {
                targets.add(new Route.Target(binding.reachable(), transport(binding), null));
            } else if (!localOnly) {
                remoteNodes.add(binding.node());
            }
        }
        for (String node : remoteNodes) {
            trunkUri(probe, node, extension).ifPresent(uri -> targets.add(new Route.Target(uri, "udp", node)));
        }
        return targets.isEmpty() ? new Route.Offline() : new Route.Ring(targets);
    }

    /** {@code sip:extension@host:port} of the node's listening points, from its heartbeat record. */
    private static Optional<String> trunkUri(NodeRegistry.Probe probe, String node, String extension) {
        return probe.sip(node).filter(sip -> sip.startsWith("sip:"))
                .map(sip -> "sip:" + extension + "@" + sip.substring(4));
    }

    private static String transport(Binding binding) {
        String t = binding.transport() == null ? "" : binding.transport().toLowerCase(Locale.ROOT);
        return t.isEmpty() ? "udp" : t;
    }
}
