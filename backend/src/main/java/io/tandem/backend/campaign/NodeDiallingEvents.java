package io.tandem.backend.campaign;

import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.cluster.NodeVotes;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.redis.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Tells every tenant's supervisors that a node went out of dialling or came back ({@code node.dialling} on the
 * tenant's event stream, so on {@code /ws/supervisor}): their campaigns dial from fewer nodes, or from more again.
 * Fields: {@code subject} (the node voted on; the event's own {@code node} is the one that cast the deciding vote),
 * {@code dialling} ({@code out} or {@code in}), {@code voters}, {@code votes}
 * ({@code voter=vote,…}).
 */
@Component
class NodeDiallingEvents implements NodeVotes.Listener {

    static final String EVENT = "node.dialling";

    private final Directory directory;
    private final AcdScripts scripts;

    NodeDiallingEvents(Directory directory, AcdScripts scripts) {
        this.directory = directory;
        this.scripts = scripts;
    }

    @Override
    public void changed(NodeVotes.Decision decision) {
        List<String> votes = new ArrayList<>();
        for (Map.Entry<String, NodeVotes.Vote> vote : decision.votes().entrySet()) {
            votes.add(vote.getKey() + "=" + vote.getValue().wire());
        }
        for (String tenant : directory.tenants()) {
            if (Keys.TENANT.matcher(tenant).matches()) {
                scripts.run(AcdScripts.EVENT, tenant, List.of(Keys.events(tenant)), EVENT, "", "", "",
                        "subject", decision.node(), "dialling", decision.dialling() ? "in" : "out",
                        "voters", Integer.toString(decision.voters()), "votes", String.join(",", votes));
            }
        }
    }
}
