package io.tandem.backend.campaign;

import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A campaign's contacts taken for a call and given back: the claim ({@code campaign/claim.lua}: due contacts leave
 * the due set and are marked dialling by this node in one step, so each is dialled at most once cluster-wide) and
 * its settlement ({@code campaign/settle.lua}: the outcome, the contact's record, when it is due again, the figures
 * and the attempt's entry, once, by the claiming node or by a sweep after that node died). Each attempt is also an
 * event on the tenant's supervisor stream ({@code campaign.attempt}).
 */
final class Attempts {

    private static final Logger log = LoggerFactory.getLogger(Attempts.class);
    private static final LuaScript CLAIM = LuaScript.load("campaign/claim", ScriptOutputType.MULTI);
    private static final LuaScript SETTLE = LuaScript.load("campaign/settle", ScriptOutputType.INTEGER);
    /** Entries of a campaign's attempt stream kept (about). */
    private static final String ATTEMPTS_KEPT = "100000";
    static final String ATTEMPT_EVENT = "campaign.attempt";

    /** A contact this node claimed: its record, and the score that puts it back where it was. */
    record Claimed(ContactRecord record, long score) {
    }

    private final Redis redis;
    private final AcdScripts scripts;
    private final OwedWrites writes;
    private final String nodeId;

    Attempts(Redis redis, AcdScripts scripts, OwedWrites writes, String nodeId) {
        this.redis = redis;
        this.scripts = scripts;
        this.writes = writes;
        this.nodeId = nodeId;
    }

    /**
     * Up to {@code count} contacts of the campaign due by {@code nowMillis}, claimed for this node; none when the
     * campaign no longer runs, or no longer in {@code mode}, in Redis (its definition was read earlier).
     */
    List<Claimed> claim(String tenant, String campaign, Campaign.Mode mode, int count, long nowMillis) {
        List<Object> reply = redis.run(CLAIM, List.of(Keys.campaignDue(tenant, campaign),
                Keys.campaignDialling(tenant, campaign), Keys.campaignContacts(tenant, campaign),
                Keys.campaignsRunning(tenant), Keys.campaigns(tenant)),
                Long.toString(nowMillis), Integer.toString(count), nodeId, campaign, wire(mode));
        List<Claimed> claimed = new ArrayList<>();
        for (int i = 0; i + 2 < reply.size(); i += 3) {
            String id = (String) reply.get(i);
            String json = (String) reply.get(i + 1);
            long score = (long) Double.parseDouble((String) reply.get(i + 2));
            if (json.isEmpty()) {
                log.warn("campaign {}@{}: due contact {} has no record; dropped", campaign, tenant, id);
                redis.commands().hdel(Keys.campaignDialling(tenant, campaign), id);
                continue;
            }
            claimed.add(new Claimed(Campaigns.decode(json, ContactRecord.class), score));
        }
        return claimed;
    }

    /** A claimed contact not called now (outside its window, no trunk free): due again at {@code dueAt}. */
    void putBack(String tenant, String campaign, ContactRecord record, long dueAt) {
        settle(tenant, campaign, nodeId, record, dueAt, null, false, Map.of());
    }

    /** A claimed contact on a do-not-call list: done, never dialled. */
    void doNotCall(String tenant, Campaign campaign, ContactRecord record, long nowMillis) {
        ContactRecord done = new ContactRecord(record.contact(), ContactRecord.State.DONE, record.attempts(),
                Outcome.DO_NOT_CALL.wire());
        settle(tenant, campaign.id(), nodeId, done, -1, Outcome.DO_NOT_CALL, false,
                fields(record.contact(), record.attempts(), Outcome.DO_NOT_CALL, 0, "", nodeId, nowMillis));
        event(tenant, campaign, record.contact(), Outcome.DO_NOT_CALL, 0, record.attempts());
    }

    /**
     * The attempt's call ended: the contact's record, its next call by the campaign's {@link RetryRule} (or done),
     * the figures, the attempt's entry and event. Owed: written through a Redis outage.
     */
    void ended(Attempt attempt, ContactRecord before, AttemptResult result, long nowMillis) {
        int attempts = before.attempts() + 1;
        long retryAt = RetryRule.retryAt(attempt.campaign(), attempts, result, nowMillis).orElse(-1);
        ContactRecord after = new ContactRecord(before.contact(), retryAt < 0 ? ContactRecord.State.DONE
                : ContactRecord.State.PENDING, attempts, result.outcome().wire());
        Map<String, String> fields = new HashMap<>(fields(before.contact(), attempts, result.outcome(),
                result.cause(), result.trunk(), attempt.node(), nowMillis));
        fields.put("seizedAt", Long.toString(result.seizedAt()));
        writes.owe("campaign " + attempt + ": " + result.outcome().wire(), () -> {
            if (settle(attempt.tenant(), attempt.campaign().id(), attempt.node(), after, retryAt, result.outcome(),
                    true, fields)) {
                event(attempt.tenant(), attempt.campaign(), before.contact(), result.outcome(), result.cause(),
                        attempts);
            }
        });
        log.info("campaign {}: {} (cause {}, trunk {}){}", attempt, result.outcome().wire(), result.cause(),
                result.trunk(), retryAt < 0 ? "; done" : "; due again in " + (retryAt - nowMillis) / 1000 + " s");
    }

    /**
     * The claims of nodes that are gone: each such contact is settled as failed ({@code node-lost}) and never called
     * again, since its call may have reached the customer before the node died. Returns how many.
     */
    int sweep(String tenant, Campaign campaign, Set<String> alive, long nowMillis) {
        int swept = 0;
        for (Map.Entry<String, String> claim : redis.commands().hgetall(Keys.campaignDialling(tenant,
                campaign.id())).entrySet()) {
            if (alive.contains(claim.getValue())) {
                continue;
            }
            String json = redis.commands().hget(Keys.campaignContacts(tenant, campaign.id()), claim.getKey());
            if (json == null) {
                redis.commands().hdel(Keys.campaignDialling(tenant, campaign.id()), claim.getKey());
                continue;
            }
            ContactRecord record = Campaigns.decode(json, ContactRecord.class);
            ContactRecord lost = new ContactRecord(record.contact(), ContactRecord.State.DONE, record.attempts() + 1,
                    Outcome.FAILED.wire());
            if (settle(tenant, campaign.id(), claim.getValue(), lost, -1, Outcome.FAILED, true,
                    fields(record.contact(), record.attempts() + 1, Outcome.FAILED, 0, "", claim.getValue(),
                            nowMillis, "node-lost"))) {
                swept++;
                event(tenant, campaign, record.contact(), Outcome.FAILED, 0, record.attempts() + 1);
                log.warn("campaign {}@{}: contact {} was being dialled by node {}, which is gone: failed "
                        + "(node-lost), not called again", campaign.id(), tenant, record.contact().id(),
                        claim.getValue());
            }
        }
        return swept;
    }

    /** Contacts of the campaign claimed and not settled: calls dialling or answered and waiting for an agent. */
    long inFlight(String tenant, String campaign) {
        return redis.commands().hlen(Keys.campaignDialling(tenant, campaign));
    }

    private boolean settle(String tenant, String campaign, String claimedBy, ContactRecord record, long dueAt,
            Outcome outcome, boolean called, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(record.contact().id(), claimedBy, Campaigns.encode(record),
                Long.toString(dueAt), outcome == null ? "" : outcome.wire(), called ? "1" : "0", ATTEMPTS_KEPT));
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        Long settled = redis.run(SETTLE, List.of(Keys.campaignDialling(tenant, campaign),
                Keys.campaignContacts(tenant, campaign), Keys.campaignDue(tenant, campaign),
                Keys.campaignFigures(tenant, campaign), Keys.campaignAttempts(tenant, campaign)),
                args.toArray(String[]::new));
        if (settled == null || settled == 0) {
            log.warn("campaign {}@{}: contact {} was no longer claimed by {}; its {} is not recorded twice",
                    campaign, tenant, record.contact().id(), claimedBy, outcome == null ? "return" : outcome.wire());
            return false;
        }
        return true;
    }

    private void event(String tenant, Campaign campaign, Contact contact, Outcome outcome, int cause, int attempt) {
        scripts.run(AcdScripts.EVENT, tenant, List.of(Keys.events(tenant)), ATTEMPT_EVENT, campaign.queue(), "", "",
                "campaign", campaign.id(), "contact", contact.id(), "outcome", outcome.wire(),
                "cause", Integer.toString(cause), "attempt", Integer.toString(attempt));
    }

    private static Map<String, String> fields(Contact contact, int attempt, Outcome outcome, int cause, String trunk,
            String node, long at) {
        return fields(contact, attempt, outcome, cause, trunk, node, at, "");
    }

    private static Map<String, String> fields(Contact contact, int attempt, Outcome outcome, int cause, String trunk,
            String node, long at, String reason) {
        return Map.of("contact", contact.id(), "attempt", Integer.toString(attempt), "outcome", outcome.wire(),
                "cause", Integer.toString(cause), "trunk", trunk, "node", node, "at", Long.toString(at),
                "reason", reason);
    }

    /** The mode as the definition's JSON spells it ({@link Campaign.Mode}'s {@code @JsonProperty}). */
    private static String wire(Campaign.Mode mode) {
        return Campaigns.JSON.convertValue(mode, String.class);
    }
}
