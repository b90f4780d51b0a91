package io.tandem.backend.campaign;

import io.lettuce.core.RedisFuture;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * How many calls each running campaign wants in a slice. A campaign paced by its queue's agents is paced here only
 * with its {@link PacingTurn}: its inputs (the turn first, then its figures, calls in flight and available agents) are
 * sent for all the slice's campaigns before any is read, so they share a round trip, and its {@link Pacing} (the
 * predictive ratio, adapted on a tick's first slice) is kept per campaign. Other modes want what their mode says.
 */
final class CampaignPacer {

    /**
     * The predictive ratio's rolling window, in the ticks this node paced the campaign in their first slice (five
     * minutes at one a second with the turn every tick; longer when other nodes take some of the turns).
     */
    private static final int PACING_WINDOW = 300;

    private final Redis redis;
    private final Queues queues;
    private final PacingTurn turn;
    /** Pacing per campaign ({@code tenant/id}); the scheduler's thread only. */
    private final Map<String, Pacing> pacings = new ConcurrentHashMap<>();

    CampaignPacer(Redis redis, Queues queues, PacingTurn turn) {
        this.redis = redis;
        this.queues = queues;
        this.turn = turn;
    }

    /**
     * A campaign's pacing inputs, sent and not yet read: the pacing turn first (the reads behind it run inside it:
     * one connection runs them in order), then its figures, calls in flight and available agents. Null suppliers for
     * a campaign not paced by agents, which needs none.
     */
    record Inputs(RunningCampaign running, Supplier<Long> exposed, RedisFuture<Map<String, String>> figures,
            RedisFuture<Long> inFlight, Supplier<Integer> available) {

        boolean paced() {
            return exposed != null;
        }
    }

    /**
     * What a campaign wants this slice: {@code calls}, and for one paced by agents the available agents and calls in
     * flight they were counted against (what an over-dial is measured by).
     */
    record Demand(int calls, int available, long inFlight) {
    }

    /** Sends the campaign's pacing inputs; read by {@link #demand}. */
    Inputs send(RunningCampaign r) {
        if (!PacingTurn.pacedByAgents(r.campaign())) {
            return new Inputs(r, null, null, null, null);
        }
        String tenant = r.tenant();
        String id = r.campaign().id();
        return new Inputs(r, turn.take(tenant, r.campaign()), redis.async().hgetall(Keys.campaignFigures(tenant, id)),
                redis.async().hlen(Keys.campaignDialling(tenant, id)),
                queues.availableMembersLater(tenant, r.campaign().queue()));
    }

    /** How many calls the campaign wants now: none when another node paces it this slice. */
    Demand demand(Inputs in, boolean newTick) {
        Campaign campaign = in.running().campaign();
        if (!in.paced()) {
            return new Demand(Pacing.calls(campaign.mode(), 0, 0, 1.0), 0, 0);
        }
        long exposed = in.exposed().get();
        Map<String, String> figures = Redis.await(in.figures());
        long inFlight = Redis.await(in.inFlight());
        int available = in.available().get();
        if (exposed < 0) {
            return new Demand(0, available, inFlight); // another node paces this campaign this slice
        }
        Pacing pacing = pacings.computeIfAbsent(in.running().tenant() + "/" + campaign.id(),
                k -> new Pacing(PACING_WINDOW));
        return new Demand(pacing.calls(campaign, available, inFlight, new Pacing.Totals(
                count(figures, Outcome.ANSWERED), count(figures, Outcome.ABANDONED)), exposed, newTick),
                available, inFlight);
    }

    /** {@code placed} calls went out for the demand: the ones beyond the agents are exposed to the next pacer. */
    void placed(Inputs in, Demand demand, int placed) {
        int over = Pacing.overDialled(demand.available(), demand.inFlight(), placed);
        if (in.paced() && over > 0) {
            turn.expose(in.running().tenant(), in.running().campaign(), over);
        }
    }

    /**
     * The pacing turn this node took for the campaign goes back once its claim is made (the next pacer, on whichever
     * node, counts the claimed contacts in flight) or when the slice's budget did not reach it; the reply is added to
     * {@code givenBack}, to be read.
     */
    void giveBack(Inputs in, List<Supplier<Long>> givenBack) {
        if (in.paced() && in.exposed().get() >= 0) {
            givenBack.add(turn.giveBack(in.running().tenant(), in.running().campaign()));
        }
    }

    private static long count(Map<String, String> figures, Outcome outcome) {
        String value = figures.get(outcome.wire());
        return value == null ? 0 : Long.parseLong(value);
    }
}
