package io.tandem.backend.campaign;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * How many calls a campaign starts now, by its mode. Preview: none (an agent asks for the next contact).
 * Progressive: one per available agent of the campaign's queue, less the calls already dialling or waiting for an
 * agent. Predictive: the available agents times a dial ratio, less those calls; the ratio adapts each tick so that
 * the abandon rate of live answered calls over the rolling window stays at or under the campaign's cap: above the
 * cap it falls at once (by a fifth, never under 1), under half the cap it rises slowly (by 0.1, at most
 * {@value #MAX_RATIO}). Broadcast: as many as the share and the limits allow. One per campaign on each node; the
 * scheduler's thread only. Pure: the cluster-wide inputs (agents, calls in flight, totals, exposed over-dials) are
 * read by the scheduler, in the pacing turn only one node holds at a time ({@code campaign/pace.lua}).
 *
 * <p>The ratio alone does not hold the cap: it reacts to abandons after they happen, and one tick that finds many
 * agents free at once dials a burst whose surplus answers are abandoned together (six agents, a ratio of 1.5 and an
 * answer rate of one half: three abandons out of fifty live calls in the predictive IT, twice the 3 % cap). So the
 * calls beyond one per available agent (the <em>over-dialled</em> calls, the only ones pacing can make abandoned) are
 * also held to the window's abandon budget: counting every over-dialled call still exposed (dialled within the last
 * ring time plus the longest safe harbour) and every new one as abandoned, the window's abandon rate would still be at
 * or under the cap. A campaign over-dials once it has live calls enough to afford it, and never more than it can.
 * The exposed calls are every node's, kept in Redis: a node counting only its own would spend the whole budget
 * beside the others.
 */
final class Pacing {

    static final double MAX_RATIO = 3.0;
    /** Answered calls the window needs before the ratio rises: a few lucky calls prove nothing. */
    static final int EVIDENCE = 20;
    /** The longest safe harbour a node may have ({@code tandem.campaigns.safe-harbour}, up to 30 s), in seconds. */
    static final int LONGEST_SAFE_HARBOUR_SECONDS = 30;

    /** The cluster's totals of a campaign at one tick. */
    record Totals(long answered, long abandoned) {
    }

    private final int windowTicks;
    private final Deque<Totals> window = new ArrayDeque<>();
    private double ratio = 1.0;

    /** A pacing whose rolling window is {@code windowTicks} ticks long. */
    Pacing(int windowTicks) {
        if (windowTicks < 2) {
            throw new IllegalArgumentException("the rolling window needs at least 2 ticks");
        }
        this.windowTicks = windowTicks;
    }

    /** Calls to start now. */
    static int calls(Campaign.Mode mode, int availableAgents, long inFlight, double ratio) {
        return switch (mode) {
            case PREVIEW -> 0;
            case PROGRESSIVE -> (int) Math.max(0, availableAgents - inFlight);
            case PREDICTIVE -> (int) Math.max(0, (long) Math.floor(availableAgents * ratio + 1e-9) - inFlight);
            case BROADCAST -> Integer.MAX_VALUE; // no agent to wait for: the share and the limits decide
        };
    }

    /**
     * Calls to start now, after taking this tick's totals into the window; {@code exposed}: the calls over-dialled
     * by any node and still exposed ({@link #exposure}).
     */
    int calls(Campaign campaign, int availableAgents, long inFlight, Totals totals, long exposed) {
        return calls(campaign, availableAgents, inFlight, totals, exposed, true);
    }

    /**
     * Calls to start now; {@code newTick}: whether this tick's totals go into the window and the ratio adapts (once
     * a tick: the later slices of a tick dial at the ratio its first set, so the ratio moves at the same pace however
     * many slices a tick has).
     */
    int calls(Campaign campaign, int availableAgents, long inFlight, Totals totals, long exposed, boolean newTick) {
        if (campaign.mode() != Campaign.Mode.PREDICTIVE) {
            return calls(campaign.mode(), availableAgents, inFlight, ratio);
        }
        if (newTick) {
            adapt(totals, campaign.abandonCap());
        }
        int oneEach = calls(Campaign.Mode.PROGRESSIVE, availableAgents, inFlight, 1.0);
        int wanted = calls(Campaign.Mode.PREDICTIVE, availableAgents, inFlight, ratio);
        int over = (int) Math.min(Math.max(0, wanted - oneEach), abandonBudget(campaign.abandonCap(), exposed));
        return oneEach + over;
    }

    /** Of {@code calls} started now, those beyond one per available agent: the ones that may end abandoned. */
    static int overDialled(int availableAgents, long inFlight, int calls) {
        return Math.max(0, calls - calls(Campaign.Mode.PROGRESSIVE, availableAgents, inFlight, 1.0));
    }

    /** How long an over-dialled call may still end abandoned: its ring time plus the longest safe harbour, in ms. */
    static long exposure(Campaign campaign) {
        return TimeUnit.SECONDS.toMillis(campaign.ringSeconds() + LONGEST_SAFE_HARBOUR_SECONDS + 2L);
    }

    /**
     * How many more calls may be over-dialled now: the most {@code x} for which, were the {@code e} exposed calls and
     * these {@code x} all abandoned, the window's {@code (abandoned + e + x) / (live + e + x)} stays at or under the
     * cap.
     */
    long abandonBudget(double cap, long pending) {
        long live = 0;
        long abandoned = 0;
        if (window.size() >= 2) {
            live = (window.peekLast().answered() + window.peekLast().abandoned())
                    - (window.peekFirst().answered() + window.peekFirst().abandoned());
            abandoned = window.peekLast().abandoned() - window.peekFirst().abandoned();
        }
        if (cap >= 1) {
            return Long.MAX_VALUE;
        }
        double room = (cap * (live + pending) - abandoned - pending) / (1 - cap);
        return Math.max(0, (long) Math.floor(room + 1e-9));
    }

    /** The abandon rate of the answered calls in the window (0 with none). */
    double abandonRate() {
        if (window.size() < 2) {
            return 0;
        }
        long answered = window.peekLast().answered() - window.peekFirst().answered();
        long abandoned = window.peekLast().abandoned() - window.peekFirst().abandoned();
        long live = answered + abandoned;
        return live == 0 ? 0 : (double) abandoned / live;
    }

    double ratio() {
        return ratio;
    }

    void adapt(Totals totals, double cap) {
        window.addLast(totals);
        while (window.size() > windowTicks) {
            window.removeFirst();
        }
        if (window.size() < 2) {
            return;
        }
        double rate = abandonRate();
        long live = (window.peekLast().answered() + window.peekLast().abandoned())
                - (window.peekFirst().answered() + window.peekFirst().abandoned());
        if (rate > cap) {
            ratio = Math.max(1.0, ratio * 0.8);
        } else if (rate <= cap / 2 && live >= EVIDENCE) {
            ratio = Math.min(MAX_RATIO, ratio + 0.1);
        }
    }
}
