package io.tandem.backend.trunk;

import io.tandem.backend.directory.User;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.trunk.DialPlan.OutsideNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Calls from extensions to the public network. Before anything is sent: the number is classified by the tenant's
 * {@link DialPlan}, and the caller's {@link DialPermission} must cover it — an app user never calls out (the B2BUA's
 * {@code CallAdmission} already refused it), a user without permission gets 403 and the carrier sees nothing. Then
 * the tenant's in-service trunks that are in rotation ({@link TrunkHealth}) are hunted in order ({@link TrunkHunt}), each presenting the number its caller-id
 * rule gives.
 */
@Service
public class OutsideCalls {

    private static final Logger log = LoggerFactory.getLogger(OutsideCalls.class);

    private final Dialling dialling;
    private final Trunks trunks;
    private final Dids dids;
    private final Redis redis;
    private final OwedWrites writes;
    private final String nodeId;
    private final TrunkProperties properties;
    private final TrunkHealth health;

    public OutsideCalls(Dialling dialling, Trunks trunks, Dids dids, Redis redis, OwedWrites writes,
            NodeIdentity identity, TrunkProperties properties, TrunkHealth health) {
        this.health = health;
        this.properties = properties;
        this.dialling = dialling;
        this.trunks = trunks;
        this.dids = dids;
        this.redis = redis;
        this.writes = writes;
        this.nodeId = identity.id();
    }

    /** The tenant's trunks in hunting order. */
    public List<Trunk> trunks(String tenant) {
        return trunks.list(tenant);
    }

    /** {@code dialled} as an outside number of the tenant's plan; empty when it is none. */
    public Optional<OutsideNumber> outsideNumber(String tenant, String dialled) {
        return dialling.plan(tenant).classify(dialled);
    }

    /** Why {@code caller} may not call {@code number}: the reason phrase of a 403; empty when it may. */
    public Optional<String> refusal(String tenant, User caller, OutsideNumber number) {
        DialPermission permission = caller.isAppUser() ? DialPermission.NONE
                : dialling.permission(tenant, caller.extension()).permission();
        if (permission.covers(number.reach())) {
            return Optional.empty();
        }
        log.warn("outside call {}@{} -> {} ({}): permission {}; refused before any trunk", caller.extension(), tenant,
                number.e164(), number.reach().wire(), permission.wire());
        return Optional.of(permission == DialPermission.NONE ? "Outside calls not permitted"
                : "No permission for " + number.reach().wire() + " calls");
    }

    /** The tenant's in-service trunks for {@code caller}'s call to {@code number}, in hunting order. */
    public TrunkHunt hunt(String tenant, String caller, OutsideNumber number) {
        String own = dialling.permission(tenant, caller).callerNumber();
        boolean ownIsTenants = !own.isEmpty() && dids.owns(tenant, own);
        List<TrunkHunt.Candidate> candidates = new ArrayList<>();
        Set<String> unhealthy = health.unhealthy(tenant).keySet();
        for (Trunk trunk : trunks.list(tenant)) {
            if (trunk.inService() && !unhealthy.contains(trunk.id())) {
                boolean passOwn = trunk.callerId().mode() == Trunk.CallerIdMode.PASS_THROUGH && ownIsTenants;
                candidates.add(new TrunkHunt.Candidate(trunk, passOwn ? own : trunk.callerId().number(),
                        trunk.authentication() == Trunk.Authentication.REGISTRATION
                                ? trunks.password(tenant, trunk.id()) : null));
            }
        }
        return new TrunkHunt(redis, writes, tenant, nodeId, number.e164(), candidates, properties.inviteTimeout(),
                properties.capsWindowMillis(), properties.sendDeadline(), OutboundLimits.NONE, health);
    }

    /**
     * The in-service, healthy trunks of {@code tenantTrunks} (the tenant's, {@link #trunks}, read once for many
     * calls) for a campaign's call to {@code e164}, in hunting order, each presenting its own number, seized under
     * {@code limits} (the node's and the campaign's) besides the trunk's.
     */
    public TrunkHunt campaignHunt(String tenant, String e164, List<Trunk> tenantTrunks, OutboundLimits limits) {
        List<TrunkHunt.Candidate> candidates = new ArrayList<>();
        Set<String> unhealthy = health.unhealthy(tenant).keySet();
        for (Trunk trunk : tenantTrunks) {
            if (trunk.inService() && !unhealthy.contains(trunk.id())) {
                candidates.add(new TrunkHunt.Candidate(trunk, trunk.callerId().number(),
                        trunk.authentication() == Trunk.Authentication.REGISTRATION
                                ? trunks.password(tenant, trunk.id()) : null));
            }
        }
        return new TrunkHunt(redis, writes, tenant, nodeId, e164, candidates, properties.inviteTimeout(),
                properties.capsWindowMillis(), properties.sendDeadline(), limits, health);
    }
}
