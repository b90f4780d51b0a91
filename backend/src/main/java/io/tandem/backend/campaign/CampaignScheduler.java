package io.tandem.backend.campaign;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.cluster.NodeVotes;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.trunk.OutboundLimits;
import io.tandem.backend.trunk.OutsideCalls;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * The per-second campaign scheduler of this node: one loop, once a tick ({@code tandem.campaigns.tick}, 1 s), each
 * tick run in slices ({@code tandem.campaigns.slices}, 10) evenly spaced. A trunk counts its CAPS over a window slid
 * over every INVITE ({@code trunk/seize.lua}), so a tick dialled at once would find most of the last tick's INVITEs
 * still in the window and get about half the CAPS; a slice dials its share of the tick's budget, and a trunk full in
 * one slice has room again in the next. Each running campaign of every tenant gets its share of the slice's budget
 * ({@code tandem.campaigns.budget} per tick, what earlier slices left unspent carrying on), round-robin from a
 * starting campaign that moves on every slice, so none starves another; a campaign that wants fewer calls (its
 * {@link CampaignPacer}) leaves the rest to the campaigns after it. The tick's first slice lists the running
 * campaigns and their limits afresh ({@link RunningCampaigns}, which also settles the claims of dead nodes every few
 * seconds) and adapts the predictive ratios. Its calls: contacts due by now are claimed atomically ({@link Attempts})
 * and dialled ({@link ContactDialling}: do-not-call, call window, trunk seizure in this thread, the INVITE handed to
 * the dialling thread). The pacing inputs of all the slice's campaigns are sent before any is read, so they share a
 * round trip.
 *
 * <p>Every node ticks, but a campaign paced by its queue's agents (progressive, predictive) is paced by one node at a
 * time, the holder of its {@link PacingTurn}. The turn goes back as soon as the campaign's claim is made (the calls
 * it claimed are then in flight for whoever paces next), or when the slice's budget does not reach the campaign.
 * Preview calls, asked for by an agent, are {@link PreviewDialling}'s.
 */
@Service
public class CampaignScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CampaignScheduler.class);

    private final Campaigns campaigns;
    private final OutsideCalls outsideCalls;
    private final NodeVotes votes;
    private final Clock clock;
    private final CampaignProperties properties;
    private final ObjectProvider<CampaignDialer> dialer;
    private final String nodeId;
    private final Counter failedTicks;
    private final Timer tickTime;
    private final Timer sliceTime;
    private final Attempts attempts;
    private final ContactDialling dialling;
    private final RunningCampaigns roster;
    private final CampaignPacer pacer;
    private final PreviewDialling preview;
    private volatile ScheduledExecutorService loop;
    /** The scheduler's thread only, like the fields below: the next slice of the tick (0: a new tick). */
    private int slice;
    /** The calls this tick's slices have placed so far. */
    private int spent;
    /** The running campaigns and their tenants' limits, listed by the tick's first slice. */
    private RunningCampaigns.Listed running = RunningCampaigns.Listed.NONE;
    private long rotation;
    /** The tick's time: its slices' times added up, recorded at its last slice. */
    private long tickNanos;
    /** Whether the last tick found this node voted out of dialling; the scheduler's thread only. */
    private boolean votedOut;

    public CampaignScheduler(Directory directory, Campaigns campaigns, DoNotCall doNotCall, OutsideCalls outsideCalls,
            Queues queues, NodeRegistry nodes, NodeVotes votes, Redis redis, AcdScripts scripts, OwedWrites writes,
            NodeIdentity identity, Clock clock, CampaignProperties properties, ObjectProvider<CampaignDialer> dialer,
            MeterRegistry registry) {
        this.campaigns = campaigns;
        this.outsideCalls = outsideCalls;
        this.votes = votes;
        this.clock = clock;
        this.properties = properties;
        this.dialer = dialer;
        this.nodeId = identity.id();
        this.attempts = new Attempts(redis, scripts, writes, nodeId);
        this.dialling = new ContactDialling(doNotCall, outsideCalls, attempts, clock, nodeId, properties.dialQueue(),
                registry);
        this.roster = new RunningCampaigns(directory, campaigns, nodes, redis, attempts, properties, nodeId);
        this.pacer = new CampaignPacer(redis, queues, new PacingTurn(redis, nodeId, properties));
        this.preview = new PreviewDialling(attempts, dialling, outsideCalls, roster);
        this.failedTicks = Counter.builder("tandem.campaigns.tick.failed")
                .description("campaign scheduler ticks that failed (Redis away, a bad definition)").register(registry);
        // A tick must fit its period: its time (its slices' added up) against the period says how many campaigns a
        // node can run.
        this.tickTime = Timer.builder("tandem.campaigns.tick")
                .description("one campaign scheduler tick, its slices added up: listing the campaigns, every running "
                        + "campaign's claims, seizures and INVITEs handed to the dialling thread")
                .register(registry);
        this.sliceTime = Timer.builder("tandem.campaigns.slice")
                .description("one slice of a campaign scheduler tick").register(registry);
    }

    /**
     * One slice of a tick: every running campaign's share of the slice's budget. The tick's first slice lists the
     * running campaigns and their tenants' limits afresh and adapts the predictive ratios. Public for tests that drive
     * the scheduler.
     */
    public void tick() {
        int slice = this.slice;
        this.slice = (slice + 1) % properties.slices();
        CampaignDialer calls = dialer.getIfAvailable();
        if (calls == null) {
            return; // no SIP on this node: nothing can be dialled here
        }
        long now = clock.millis();
        if (slice == 0) {
            spent = 0;
            running = roster.list(now);
        }
        if (running.campaigns().isEmpty() || !diallingHere()) {
            return;
        }
        List<RunningCampaign> order = new ArrayList<>(running.campaigns());
        Collections.rotate(order, -(int) (rotation++ % order.size()));
        List<CampaignPacer.Inputs> inputs = order.stream().map(pacer::send).toList();
        int budget = properties.budgetThrough(slice) - spent;
        List<Supplier<Long>> givenBack = new ArrayList<>();
        try {
            for (int i = 0; i < inputs.size(); i++) {
                CampaignPacer.Inputs in = inputs.get(i);
                if (budget > 0) {
                    int share = (budget + inputs.size() - i - 1) / (inputs.size() - i);
                    int placed = dial(calls, in, share, running.limits().get(in.running().tenant()), now,
                            slice == 0);
                    budget -= placed;
                    spent += placed;
                }
                pacer.giveBack(in, givenBack);
            }
        } finally {
            givenBack.forEach(Supplier::get); // read, so that a failure shows
        }
    }

    /**
     * Whether this node may dial: not while a majority of the other nodes cannot reach it ({@link NodeVotes}), since
     * a customer it dialled could not be put through to an agent on another node. Its claims and sweeps go on.
     */
    private boolean diallingHere() {
        boolean out = !votes.dialling(nodeId);
        if (out != votedOut) {
            votedOut = out;
            log.warn(out ? "campaigns: node '{}' is voted out of dialling; it places no campaign call until the "
                    + "others reach it again" : "campaigns: node '{}' is back in dialling", nodeId);
        }
        return !out;
    }

    /** Dials up to {@code share} of the campaign's contacts now; returns how many calls were placed. */
    private int dial(CampaignDialer calls, CampaignPacer.Inputs in, int share, DialerLimits limits, long now,
            boolean newTick) {
        String tenant = in.running().tenant();
        Campaign campaign = in.running().campaign();
        CampaignPacer.Demand demand = pacer.demand(in, newTick);
        int count = Math.min(share, demand.calls());
        if (count <= 0) {
            return 0;
        }
        OutboundLimits outbound = new OutboundLimits(campaign.group(), limits.nodeChannels(), limits.nodeCaps(),
                campaign.maxChannels());
        List<Attempts.Claimed> claimed = attempts.claim(tenant, campaign.id(), campaign.mode(), count, now);
        if (claimed.isEmpty()) {
            return 0;
        }
        ContactDialling.Dialled dialled = dialling.dial(calls, tenant, campaign, claimed,
                outsideCalls.trunks(tenant), outbound, "", now);
        pacer.placed(in, demand, dialled.placed());
        return dialled.placed();
    }

    /**
     * Preview mode: {@code agent} asks for the campaign's next contact; it is claimed and dialled at once, and only
     * that agent is offered the answered call. Empty when no contact is due now (or none could be dialled).
     */
    public Optional<Contact> previewNext(String tenant, String campaignId, String agent) {
        CampaignDialer calls = dialer.getIfAvailable();
        Optional<Campaign> found = campaigns.find(tenant, campaignId);
        if (calls == null || found.isEmpty() || !votes.dialling(nodeId)) {
            return Optional.empty();
        }
        return preview.next(calls, tenant, found.get(), agent, clock.millis());
    }

    private void safeTick() {
        boolean last = slice == properties.slices() - 1;
        long started = System.nanoTime();
        try {
            tick();
        } catch (RuntimeException e) {
            failedTicks.increment();
            log.warn("campaign scheduler slice failed; the next slice tries again", e);
        } finally {
            long took = System.nanoTime() - started;
            sliceTime.record(took, TimeUnit.NANOSECONDS);
            tickNanos += took;
            if (last) {
                tickTime.record(tickNanos, TimeUnit.NANOSECONDS);
                tickNanos = 0;
            }
        }
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("campaign scheduler disabled on this node (tandem.campaigns.enabled=false)");
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tandem-campaigns");
            thread.setDaemon(true);
            return thread;
        });
        long slice = properties.sliceMillis();
        executor.scheduleAtFixedRate(this::safeTick, slice, slice, TimeUnit.MILLISECONDS);
        loop = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = loop;
        loop = null;
        if (executor != null) {
            // No interrupt: a tick under way finishes its calls before the SIP stack stops under them (an interrupt
            // broke its Redis command mid-way: a "tick failed" stack trace at every shutdown); shutdown() cancels the
            // ticks to come.
            executor.shutdown();
            try {
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("campaign scheduler: a tick still runs after 5 s; stopping without it");
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dialling.close();
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }

    /** Starts after the SIP side and the queue calls; stops before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
