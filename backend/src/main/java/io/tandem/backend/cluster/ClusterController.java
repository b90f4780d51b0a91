package io.tandem.backend.cluster;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Cluster membership for supervisors and operators. */
@RestController
class ClusterController {

    private final NodeRegistry registry;
    private final NodeVotes votes;

    ClusterController(NodeRegistry registry, NodeVotes votes) {
        this.registry = registry;
        this.votes = votes;
    }

    /**
     * A live node as its heartbeat describes it, whether it may dial, and the other nodes' votes on it.
     *
     * @param node     the heartbeat's fields, inline
     * @param dialling false while a majority of the other nodes cannot reach it ({@link NodeVotes})
     * @param votes    voter → its last vote on this node and when
     */
    record ClusterNode(@JsonUnwrapped NodeInfo node, boolean dialling, Map<String, NodeVotes.Ballot> votes) {
    }

    @GetMapping("/api/v1/cluster/nodes")
    List<ClusterNode> nodes() {
        Map<String, NodeVotes.Standing> standings = votes.standings();
        return registry.aliveNodes().stream().map(node -> {
            NodeVotes.Standing standing = standings.getOrDefault(node.id(), new NodeVotes.Standing(true, Map.of()));
            return new ClusterNode(node, standing.dialling(), standing.votes());
        }).toList();
    }
}
