package io.tandem.backend.campaign;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.cluster.NodeVotes;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.trunk.OutboundLimits;
import io.tandem.backend.trunk.OutsideCalls;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@link Pacing}) leaves the rest to the campaigns after it. The tick's first slice lists the running campaigns and
 * their limits afresh and adapts the predictive ratios. Its calls: contacts due by now are claimed atomically
 * ({@link Attempts}) and dialled ({@link ContactDialling}: do-not-call, call window, trunk seizure in this thread, the
 * INVITE handed to the dialling thread). Every few seconds the claims of dead nodes are settled. The pacing inputs of
 * all the slice's campaigns are sent before any is read, so they share a round trip.
 *
 * <p>Every node ticks, but a campaign paced by its queue's agents (progressive, predictive) is paced by one node at a
 * time: its inputs (available agents, calls in flight, the abandon budget) are cluster-wide, so two nodes pacing it
 * in the same slice would each dial the same calls. A node paces it only with the campaign's pacing turn
 * ({@code campaign/pace.lua}), and records there the calls it over-dialled, so the next pacer, on whichever node,
 * counts them in the abandon budget. The turn goes back as soon as the campaign's claim is made (the calls it
 * claimed are then in flight for whoever paces next), or when the slice's budget does not reach the campaign.
 */
@Service
public class CampaignScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CampaignScheduler.class);
    /**
     * The predictive ratio's rolling window, in the ticks this node paced the campaign in their first slice (five
     * minutes at one a second with the turn every tick; longer when other nodes take some of the turns).
     */
    private static final int PACING_WINDOW = 300;
    private static final LuaScript PACE = LuaScript.load("campaign/pace", ScriptOutputType.INTEGER);

    private final Directory directory;
    private final Campaigns campaigns;
    private final DoNotCall doNotCall;
    private final OutsideCalls outsideCalls;
    private final Queues queues;
    private final NodeRegistry nodes;
    private final NodeVotes votes;
    private final Redis redis;
    private final Attempts attempts;
    private final Clock clock;
    private final CampaignProperties properties;
    private final ObjectProvider<CampaignDialer> dialer;
    private final String nodeId;
    private final Counter failedTicks;
    private final Timer tickTime;
    private final Timer sliceTime;
    /** Pacing per campaign ({@code tenant/id}); the scheduler's thread only. */
    private final Map<String, Pacing> pacings = new ConcurrentHashMap<>();
    private final ContactDialling dialling;
    private volatile ScheduledExecutorService loop;
    /** The scheduler's thread only, like the fields below: the next slice of the tick (0: a new tick). */
    private int slice;
    /** The calls this tick's slices have placed so far. */
    private int spent;
    /** The running campaigns and their tenants' limits, listed by the tick's first slice. */
    private List<Running> running = List.of();
    private Map<String, DialerLimits> limits = Map.of();
    private long rotation;
    private long lastSweep;
    /** The tick's time: its slices' times added up, recorded at its last slice. */
    private long tickNanos;
    /** Whether the last tick found this node voted out of dialling; the scheduler's thread only. */
    private boolean votedOut;

    public CampaignScheduler(Directory directory, Campaigns campaigns, DoNotCall doNotCall, OutsideCalls outsideCalls,
            Queues queues, NodeRegistry nodes, NodeVotes votes, Redis redis, AcdScripts scripts, OwedWrites writes,
            NodeIdentity identity, Clock clock, CampaignProperties properties, ObjectProvider<CampaignDialer> dialer,
            MeterRegistry registry) {
        this.directory = directory;
        this.campaigns = campaigns;
        this.doNotCall = doNotCall;
        this.outsideCalls = outsideCalls;
        this.queues = queues;
        this.nodes = nodes;
        this.votes = votes;
        this.redis = redis;
        this.clock = clock;
        this.properties = properties;
        this.dialer = dialer;
        this.nodeId = identity.id();
        this.attempts = new Attempts(redis, scripts, writes, nodeId);
        this.dialling = new ContactDialling(doNotCall, outsideCalls, attempts, clock, nodeId, properties.dialQueue(),
                registry);
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

    /** A running campaign of a tenant. */
    private record Running(String tenant, Campaign campaign) {
    }

    /**
     * A campaign's pacing inputs, sent before any is read so that the slice's campaigns share a round trip: the
     * pacing turn first (the reads behind it run inside it: one connection runs them in order), then its figures,
     * calls in flight and available agents. Null suppliers for a campaign not paced by agents, which needs none.
     */
    private record Inputs(Running running, Supplier<Long> exposed, RedisFuture<Map<String, String>> figures,
            RedisFuture<Long> inFlight, Supplier<Integer> available) {
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
            list(now);
        }
        if (running.isEmpty() || !diallingHere()) {
            return;
        }
        List<Running> order = new ArrayList<>(running);
        Collections.rotate(order, -(int) (rotation++ % order.size()));
        List<Inputs> inputs = order.stream().map(this::inputs).toList();
        int budget = properties.budgetThrough(slice) - spent;
        List<Supplier<Long>> givenBack = new ArrayList<>();
        try {
            for (int i = 0; i < inputs.size(); i++) {
                Inputs in = inputs.get(i);
                if (budget > 0) {
                    int share = (budget + inputs.size() - i - 1) / (inputs.size() - i);
                    int placed = dial(calls, in, share, limits.get(in.running().tenant()), now, slice == 0);
                    budget -= placed;
                    spent += placed;
                }
                giveBack(in, givenBack);
            }
        } finally {
            givenBack.forEach(Supplier::get); // read, so that a failure shows
        }
    }

    /** The running campaigns and their tenants' limits, for this tick; the claims of dead nodes when it is time. */
    private void list(long now) {
        List<Running> listed = new ArrayList<>();
        Map<String, DialerLimits> layered = new HashMap<>();
        boolean sweeping = now - lastSweep >= properties.sweep().toMillis();
        for (String tenant : directory.tenants()) {
            if (!Keys.TENANT.matcher(tenant).matches()) {
                continue;
            }
            List<Campaign> ofTenant = campaigns.running(tenant);
            if (sweeping) {
                sweep(tenant, now);
            }
            if (!ofTenant.isEmpty()) {
                ofTenant.forEach(c -> listed.add(new Running(tenant, c)));
                layered.put(tenant, limits(tenant));
            }
        }
        if (sweeping) {
            lastSweep = now;
        }
        running = listed;
        limits = layered;
    }

    private Inputs inputs(Running r) {
        if (!pacedByAgents(r.campaign())) {
            return new Inputs(r, null, null, null, null);
        }
        String tenant = r.tenant();
        String id = r.campaign().id();
        return new Inputs(r, paceLater(tenant, r.campaign(), "take", turn(), 0),
                redis.async().hgetall(Keys.campaignFigures(tenant, id)),
                redis.async().hlen(Keys.campaignDialling(tenant, id)),
                queues.availableMembersLater(tenant, r.campaign().queue()));
    }

    /**
     * The pacing turn this node took for the campaign goes back once its claim is made (the next pacer, on whichever
     * node, counts the claimed contacts in flight) or when the slice's budget did not reach it. The turn's length
     * ({@link #turn}) only bounds how long a node that stalls or dies mid-slice keeps it.
     */
    private void giveBack(Inputs in, List<Supplier<Long>> givenBack) {
        if (in.exposed() != null && in.exposed().get() >= 0) {
            givenBack.add(paceLater(in.running().tenant(), in.running().campaign(), "give", 0, 0));
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
    private int dial(CampaignDialer calls, Inputs in, int share, DialerLimits limits, long now, boolean newTick) {
        String tenant = in.running().tenant();
        Campaign campaign = in.running().campaign();
        boolean paced = in.exposed() != null;
        int wanted;
        int available = 0;
        long inFlight = 0;
        if (paced) {
            long exposed = in.exposed().get();
            Map<String, String> figures = Redis.await(in.figures());
            inFlight = Redis.await(in.inFlight());
            available = in.available().get();
            if (exposed < 0) {
                return 0; // another node paces this campaign this slice
            }
            Pacing pacing = pacings.computeIfAbsent(tenant + "/" + campaign.id(), k -> new Pacing(PACING_WINDOW));
            wanted = pacing.calls(campaign, available, inFlight, new Pacing.Totals(
                    count(figures, Outcome.ANSWERED), count(figures, Outcome.ABANDONED)), exposed, newTick);
        } else {
            wanted = Pacing.calls(campaign.mode(), 0, 0, 1.0);
        }
        int count = Math.min(share, wanted);
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
        int over = Pacing.overDialled(available, inFlight, dialled.placed());
        if (paced && over > 0) {
            pace(tenant, campaign, "expose", Pacing.exposure(campaign), over);
        }
        return dialled.placed();
    }

    /**
     * The longest a pacing turn lasts: most of a tick. It is given back as soon as the campaign's claim is made
     * ({@link #giveBack}); a turn as short as a slice could run out under a loaded node between its reads and its
     * claim, and another node would pace on the same calls in flight.
     */
    private long turn() {
        return Math.max(1, properties.tick().toMillis() * 9 / 10);
    }

    /** Whether the campaign's calls follow its queue's agents, so that only one node at a time may pace it. */
    private static boolean pacedByAgents(Campaign campaign) {
        return campaign.mode() == Campaign.Mode.PROGRESSIVE || campaign.mode() == Campaign.Mode.PREDICTIVE;
    }

    /** {@code campaign/pace.lua}: take the pacing turn (the exposed over-dials, or -1), expose, or give it back. */
    private long pace(String tenant, Campaign campaign, String action, long millis, int over) {
        return paceLater(tenant, campaign, action, millis, over).get();
    }

    private Supplier<Long> paceLater(String tenant, Campaign campaign, String action, long millis, int over) {
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
        Campaign campaign = found.get();
        DialerLimits layered = limits(tenant);
        OutboundLimits outbound = new OutboundLimits(campaign.group(), layered.nodeChannels(), layered.nodeCaps(),
                campaign.maxChannels());
        long now = clock.millis();
        // a contact not callable now (do-not-call, out of its window) is settled and the next one is tried
        for (int tries = 0; tries < 10; tries++) {
            List<Attempts.Claimed> claimed = attempts.claim(tenant, campaign.id(), campaign.mode(), 1, now);
            if (claimed.isEmpty()) {
                return Optional.empty();
            }
            ContactDialling.Dialled dialled = dialling.dial(calls, tenant, campaign, claimed,
                    outsideCalls.trunks(tenant), outbound, agent, now);
            if (dialled.placed() > 0) {
                return Optional.of(claimed.get(0).record().contact());
            }
            if (dialled.full()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The tenant's limits on this node: template, tenant, node (only its concurrency). */
    DialerLimits limits(String tenant) {
        return DialerLimits.of(properties).layered(redis.commands().hgetall(Keys.dialerTemplate()),
                redis.commands().hgetall(Keys.dialerLimits(tenant)),
                redis.commands().hgetall(Keys.dialerNodeLimits(tenant, nodeId)));
    }

    private void sweep(String tenant, long now) {
        Set<String> alive = nodes.aliveIds();
        for (Campaign campaign : campaigns.list(tenant)) {
            attempts.sweep(tenant, campaign, alive, now);
        }
    }

    private static long count(Map<String, String> figures, Outcome outcome) {
        String value = figures.get(outcome.wire());
        return value == null ? 0 : Long.parseLong(value);
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
