package io.tandem.backend.cluster;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Cluster membership for supervisors and operators. */
@RestController
class ClusterController {

    private final NodeRegistry registry;

    ClusterController(NodeRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/api/v1/cluster/nodes")
    List<NodeInfo> nodes() {
        return registry.aliveNodes();
    }
}
