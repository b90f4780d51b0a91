package io.tandem.backend.queuecall;

import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.campaign.Attempt;
import io.tandem.backend.campaign.AttemptResult;
import io.tandem.backend.campaign.CampaignDialer;
import io.tandem.backend.campaign.Outcome;
import io.tandem.backend.trunk.Seizure;
import io.tandem.backend.trunk.TrunkHunt;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign calls this node places ({@link CampaignCall}), found again by their wait-set entry when the ACD's
 * claim grants an offer for one, or ends one behind its back.
 */
final class CampaignCalls implements CampaignDialer, CampaignCall.Desk {

    private static final Logger log = LoggerFactory.getLogger(CampaignCalls.class);

    private final CampaignCall.Services services;
    private final Set<CampaignCall> active = ConcurrentHashMap.newKeySet();
    /** Answered calls by their wait-set entry (the customer leg's Call-ID). */
    private final Map<String, CampaignCall> entries = new ConcurrentHashMap<>();

    CampaignCalls(CampaignCall.Services services) {
        this.services = services;
    }

    @Override
    public void dial(Attempt attempt, TrunkHunt hunt, Seizure first, Progress progress) {
        Optional<QueueDefinition> queue = services.acd().queues().find(attempt.tenant(), attempt.campaign().queue());
        if (queue.isEmpty()) {
            log.warn("campaign {}: queue {} does not exist; not dialled", attempt, attempt.campaign().queue());
            hunt.release(first);
            progress.ended(attempt, new AttemptResult(Outcome.FAILED, 0, false, "", 0));
            return;
        }
        CampaignCall call = new CampaignCall(attempt, queue.get(), hunt, progress, services, this);
        active.add(call);
        call.dial(first);
    }

    @Override
    public void entered(String entryId, CampaignCall call) {
        entries.put(entryId, call);
    }

    CampaignCall find(String entryId) {
        return entryId == null ? null : entries.get(entryId);
    }

    @Override
    public int active() {
        return active.size();
    }

    @Override
    public void ended(CampaignCall call) {
        active.remove(call);
        String entry = call.entryId();
        if (entry != null) {
            entries.remove(entry, call);
        }
    }

    /** Node stopping: the calls' streams close; other nodes settle their attempts once this node is gone. */
    void close() {
        active.forEach(CampaignCall::close);
    }
}
