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
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Decides where a call to an extension goes: every live contact this node holds is rung directly; a contact held by
 * another live node is reached through that node over the inter-node trunk (one branch per node: that node rings
 * its own contacts); a contact registered through an edge (a Path, RFC 3327) is rung by any node through the edge.
 * A call that arrived over the trunk is routed to local contacts only, so a call never crosses more than one trunk
 * hop and cannot loop.
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
        return ring(extension, found, localOnly, probe::sip);
    }

    /**
     * As {@link #route} for an agent a queue claim has just reserved, from the bindings the claim read in the same
     * atomic step ({@code records}), without another round trip: a contact of another node is reached at the SIP
     * address this node last saw that node alive at, the view of the cluster the claim itself went by (refreshed
     * every ACD sweep). When that view cannot decide (no binding, or one on a node not seen alive lately), the
     * extension is routed afresh by {@link #route}.
     */
    public Route routeReserved(String tenant, String extension, List<String> records) {
        List<Binding> found = Keys.EXTENSION.matcher(extension).matches() ? bindings.unexpired(extension, records)
                : List.of();
        boolean decidable = !found.isEmpty() && found.stream().allMatch(binding -> binding.node().equals(nodeId)
                || trunkUri(nodes.lastSeenSip(binding.node()), extension).isPresent());
        return decidable ? ring(extension, found, false, nodes::lastSeenSip) : route(tenant, extension, false);
    }

    /**
     * Every contact of this node rung directly; a contact of another node through that node (one branch per node),
     * at the SIP address {@code nodeSip} gives for it, unless {@code localOnly}.
     */
    private Route ring(String extension, List<Binding> found, boolean localOnly,
            Function<String, Optional<String>> nodeSip) {
        List<Route.Target> targets = new ArrayList<>();
        Set<String> remoteNodes = new LinkedHashSet<>();
        for (Binding binding : found) {
            if (binding.viaPath()) {
                // RFC 3327: any node reaches the phone through the path it registered through (the edge), even when
                // the node that took the REGISTER is gone; no trunk hop, so a trunk call may ring it too.
                targets.add(new Route.Target(binding.reachable(), transport(binding), null, binding.path()));
            } else if (binding.node().equals(nodeId)) {
                targets.add(new Route.Target(binding.reachable(), transport(binding), null));
            } else if (!localOnly) {
                remoteNodes.add(binding.node());
            }
        }
        for (String node : remoteNodes) {
            trunkUri(nodeSip.apply(node), extension)
                    .ifPresent(uri -> targets.add(new Route.Target(uri, "udp", node)));
        }
        return targets.isEmpty() ? new Route.Offline() : new Route.Ring(targets);
    }

    /**
     * A number of {@code node} reached over the trunk (a room's join number): a ring of that node's SIP address while
     * its heartbeat says it is alive, else offline.
     */
    public Route routeToNode(String node, String number) {
        if (node.equals(nodeId)) {
            return new Route.Offline();
        }
        return trunkUri(nodes.probe().sip(node), number)
                .<Route>map(uri -> new Route.Ring(List.of(new Route.Target(uri, "udp", node))))
                .orElseGet(Route.Offline::new);
    }

    /** {@code sip:extension@host:port} of the node's listening points, from its heartbeat record. */
    private static Optional<String> trunkUri(Optional<String> nodeSip, String extension) {
        return nodeSip.filter(sip -> sip.startsWith("sip:"))
                .map(sip -> "sip:" + extension + "@" + sip.substring(4));
    }

    private static String transport(Binding binding) {
        String t = binding.transport() == null ? "" : binding.transport().toLowerCase(Locale.ROOT);
        return t.isEmpty() ? "udp" : t;
    }
}
