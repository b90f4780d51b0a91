package io.tandem.backend.campaign;

import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.util.List;
import java.util.function.Supplier;

/**
 * A campaign's pacing turn ({@code campaign/pace.lua}): a campaign paced by its queue's agents (progressive,
 * predictive) is paced by one node at a time, since its inputs (available agents, calls in flight, the abandon budget)
 * are cluster-wide and two nodes pacing it in the same slice would each dial the same calls. The node holding the turn
 * records there the calls it over-dialled, so the next pacer, on whichever node, counts them in the abandon budget.
 * Every reply is sent at once and read later, so a slice's campaigns share a round trip.
 */
final class PacingTurn {

    private static final LuaScript PACE = LuaScript.load("campaign/pace", ScriptOutputType.INTEGER);

    private final Redis redis;
    private final String nodeId;
    private final long turnMillis;

    PacingTurn(Redis redis, String nodeId, CampaignProperties properties) {
        this.redis = redis;
        this.nodeId = nodeId;
        // Most of a tick: the turn is given back as soon as the campaign's claim is made; a turn as short as a slice
        // could run out under a loaded node between its reads and its claim, and another node would pace on the same
        // calls in flight. Its length only bounds how long a node that stalls or dies mid-slice keeps it.
        this.turnMillis = Math.max(1, properties.tick().toMillis() * 9 / 10);
    }

    /** Whether the campaign's calls follow its queue's agents, so that only one node at a time may pace it. */
    static boolean pacedByAgents(Campaign campaign) {
        return campaign.mode() == Campaign.Mode.PROGRESSIVE || campaign.mode() == Campaign.Mode.PREDICTIVE;
    }

    /** Takes the turn: the over-dials exposed by earlier pacers, or -1 when another node paces the campaign now. */
    Supplier<Long> take(String tenant, Campaign campaign) {
        return send(tenant, campaign, "take", turnMillis, 0);
    }

    /** Gives the turn back (the claimed contacts are in flight for whoever paces next). */
    Supplier<Long> giveBack(String tenant, Campaign campaign) {
        return send(tenant, campaign, "give", 0, 0);
    }

    /** Records {@code over} calls dialled beyond the agents, for the campaign's exposure time. */
    void expose(String tenant, Campaign campaign, int over) {
        send(tenant, campaign, "expose", Pacing.exposure(campaign), over).get();
    }

    private Supplier<Long> send(String tenant, Campaign campaign, String action, long millis, int over) {
        Supplier<Long> reply = redis.send(PACE, List.of(Keys.campaignPacing(tenant, campaign.id()),
                Keys.campaignExposed(tenant, campaign.id())), action, nodeId, Long.toString(millis),
                Integer.toString(over));
        // read once: a reply read again after Redis lost its scripts would run the script again
        return new Supplier<>() {
            private Long value;

            @Override
            public Long get() {
                if (value == null) {
                    Long replied = reply.get();
                    value = replied == null ? -1L : replied;
                }
                return value;
            }
        };
    }
}
