package io.tandem.backend.campaign;

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
import io.tandem.backend.trunk.Seizure;
import io.tandem.backend.trunk.Trunk;
import io.tandem.backend.trunk.TrunkHunt;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * The per-second campaign scheduler of this node: one loop, once a tick. Each running campaign of every tenant gets
 * its share of the tick's budget ({@code tandem.campaigns.budget}), round-robin from a starting campaign that moves
 * on every tick, so none starves another; a campaign that wants fewer calls (its {@link Pacing}) leaves the rest to
 * the campaigns after it. Its calls: contacts due by now are claimed atomically ({@link Attempts}), a number on a
 * do-not-call list is settled without a call, a contact outside its call window is put back for the window's
 * opening in its own time zone, the others seize a trunk under the trunk's, the node's and the campaign's limits
 * ({@code trunk/seize.lua}) and are dialled ({@link CampaignDialer}); when no trunk has room, the contact and the rest
 * of the campaign's claim go back where they were. Every few seconds the claims of dead nodes are settled.
 *
 * <p>Every node ticks, but a campaign paced by its queue's agents (progressive, predictive) is paced by one node at a
 * time: its inputs (available agents, calls in flight, the abandon budget) are cluster-wide, so two nodes pacing it
 * in the same second would each dial the same calls. A node paces it only with the campaign's pacing turn
 * ({@code campaign/pace.lua}, about one tick long), and records there the calls it over-dialled, so the next pacer,
 * on whichever node, counts them in the abandon budget. A node that finds no trunk room gives the turn back.
 */
@Service
public class CampaignScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CampaignScheduler.class);
    /**
     * The predictive ratio's rolling window, in the ticks this node paced the campaign (five minutes at one a second
     * with the turn every tick; longer when other nodes take some of the turns).
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
    private final Counter failedDials;
    private final Timer tickTime;
    /** Pacing per campaign ({@code tenant/id}); the scheduler's thread only. */
    private final Map<String, Pacing> pacings = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService loop;
    private long ticks;
    private long lastSweep;
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
        this.failedTicks = Counter.builder("tandem.campaigns.tick.failed")
                .description("campaign scheduler ticks that failed (Redis away, a bad definition)").register(registry);
        this.failedDials = Counter.builder("tandem.campaigns.dial.failed")
                .description("campaign calls the dialler failed to place (recorded as failed)").register(registry);
        // A tick must fit its second: its time against the tick period says how many campaigns a node can run.
        this.tickTime = Timer.builder("tandem.campaigns.tick")
                .description("one campaign scheduler tick: every running campaign's claims, seizures and dials")
                .register(registry);
    }

    /** A running campaign of a tenant. */
    private record Running(String tenant, Campaign campaign) {
    }

    /** One tick: every running campaign's share of the budget. Public for tests that drive it. */
    public void tick() {
        CampaignDialer calls = dialer.getIfAvailable();
        if (calls == null) {
            return; // no SIP on this node: nothing can be dialled here
        }
        long now = clock.millis();
        List<Running> running = new ArrayList<>();
        Map<String, DialerLimits> limits = new HashMap<>();
        for (String tenant : directory.tenants()) {
            if (!Keys.TENANT.matcher(tenant).matches()) {
                continue;
            }
            List<Campaign> ofTenant = campaigns.running(tenant);
            if (now - lastSweep >= properties.sweep().toMillis()) {
                sweep(tenant, now);
            }
            if (!ofTenant.isEmpty()) {
                ofTenant.forEach(c -> running.add(new Running(tenant, c)));
                limits.put(tenant, limits(tenant));
            }
        }
        if (now - lastSweep >= properties.sweep().toMillis()) {
            lastSweep = now;
        }
        if (running.isEmpty() || !diallingHere()) {
            return;
        }
        Collections.rotate(running, -(int) (ticks++ % running.size()));
        int budget = properties.budget();
        for (int i = 0; i < running.size() && budget > 0; i++) {
            int share = (budget + running.size() - i - 1) / (running.size() - i);
            Running r = running.get(i);
            budget -= dial(calls, r.tenant(), r.campaign(), share, limits.get(r.tenant()), now);
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
    private int dial(CampaignDialer calls, String tenant, Campaign campaign, int share, DialerLimits limits,
            long now) {
        boolean paced = pacedByAgents(campaign);
        long exposed = 0;
        if (paced) {
            exposed = pace(tenant, campaign, "take", turn(), 0);
            if (exposed < 0) {
                return 0; // another node paces this campaign this tick
            }
        }
        Pacing pacing = pacings.computeIfAbsent(tenant + "/" + campaign.id(), k -> new Pacing(PACING_WINDOW));
        Map<String, String> figures = campaigns.figures(tenant, campaign.id());
        long inFlight = attempts.inFlight(tenant, campaign.id());
        int available = queues.availableMembers(tenant, campaign.queue());
        int wanted = pacing.calls(campaign, available, inFlight, new Pacing.Totals(
                count(figures, Outcome.ANSWERED), count(figures, Outcome.ABANDONED)), exposed);
        int count = Math.min(share, wanted);
        if (count <= 0) {
            return 0;
        }
        OutboundLimits outbound = new OutboundLimits(campaign.group(), limits.nodeChannels(), limits.nodeCaps(),
                campaign.maxChannels());
        List<Trunk> trunks = outsideCalls.trunks(tenant);
        int placed = 0;
        boolean full = false;
        for (Attempts.Claimed claimed : attempts.claim(tenant, campaign.id(), count, now)) {
            if (full) {
                attempts.putBack(tenant, campaign.id(), claimed.record(), claimed.score());
                continue;
            }
            switch (call(calls, tenant, campaign, claimed, trunks, outbound, "", now)) {
                case PLACED -> placed++;
                case NO_TRUNK -> full = true;
                case NOT_CALLED -> {
                }
            }
        }
        int over = Pacing.overDialled(available, inFlight, placed);
        if (paced && over > 0) {
            pace(tenant, campaign, "expose", Pacing.exposure(campaign), over);
        }
        if (full && paced) {
            pace(tenant, campaign, "give", 0, 0); // another node may have trunk room this tick
        }
        return placed;
    }

    /** The pacing turn: most of a tick, so that the next tick's pacer, on whichever node, finds it free. */
    private long turn() {
        return Math.max(1, properties.tick().toMillis() * 9 / 10);
    }

    /** Whether the campaign's calls follow its queue's agents, so that only one node at a time may pace it. */
    private static boolean pacedByAgents(Campaign campaign) {
        return campaign.mode() == Campaign.Mode.PROGRESSIVE || campaign.mode() == Campaign.Mode.PREDICTIVE;
    }

    /** {@code campaign/pace.lua}: take the pacing turn (the exposed over-dials, or -1), expose, or give it back. */
    private long pace(String tenant, Campaign campaign, String action, long millis, int over) {
        Long reply = redis.run(PACE, List.of(Keys.campaignPacing(tenant, campaign.id()),
                Keys.campaignExposed(tenant, campaign.id())), action, nodeId, Long.toString(millis),
                Integer.toString(over));
        return reply == null ? -1 : reply;
    }

    /** What became of one claimed contact. */
    private enum Dialled { PLACED, NOT_CALLED, NO_TRUNK }

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
        DialerLimits limits = limits(tenant);
        OutboundLimits outbound = new OutboundLimits(campaign.group(), limits.nodeChannels(), limits.nodeCaps(),
                campaign.maxChannels());
        long now = clock.millis();
        // a contact not callable now (do-not-call, out of its window) is settled and the next one is tried
        for (int tries = 0; tries < 10; tries++) {
            List<Attempts.Claimed> claimed = attempts.claim(tenant, campaign.id(), 1, now);
            if (claimed.isEmpty()) {
                return Optional.empty();
            }
            switch (call(calls, tenant, campaign, claimed.get(0), outsideCalls.trunks(tenant), outbound, agent,
                    now)) {
                case PLACED -> {
                    return Optional.of(claimed.get(0).record().contact());
                }
                case NO_TRUNK -> {
                    return Optional.empty();
                }
                case NOT_CALLED -> {
                }
            }
        }
        return Optional.empty();
    }

    private Dialled call(CampaignDialer calls, String tenant, Campaign campaign, Attempts.Claimed claimed,
            List<Trunk> trunks, OutboundLimits outbound, String assignee, long now) {
        ContactRecord record = claimed.record();
        Contact contact = record.contact();
        if (doNotCall.listed(tenant, campaign.id(), contact.number())) {
            attempts.doNotCall(tenant, campaign, record, now);
            return Dialled.NOT_CALLED;
        }
        Optional<Instant> next = nextCall(campaign, contact, now);
        if (next.isEmpty() || next.get().toEpochMilli() > now) {
            long dueAt = next.map(Instant::toEpochMilli).orElse(now + TimeUnit.DAYS.toMillis(1));
            log.debug("campaign {}@{}: {} outside its window; due at {}", campaign.id(), tenant, contact.id(),
                    Instant.ofEpochMilli(dueAt));
            attempts.putBack(tenant, campaign.id(), record, dueAt);
            return Dialled.NOT_CALLED;
        }
        TrunkHunt hunt = outsideCalls.campaignHunt(tenant, contact.number(), trunks, outbound);
        Optional<Seizure> first = hunt.next();
        if (first.isEmpty()) {
            log.debug("campaign {}@{}: no trunk with room ({}); {} waits", campaign.id(), tenant,
                    hunt.refusal().isEmpty() ? "none in service" : hunt.refusal(), contact.id());
            attempts.putBack(tenant, campaign.id(), record, claimed.score());
            return Dialled.NO_TRUNK;
        }
        Attempt attempt = new Attempt(tenant, campaign, contact, record.attempts() + 1, nodeId, assignee);
        CampaignDialer.Progress progress = new CampaignDialer.Progress() {
            @Override
            public void answered(Attempt answered) {
                log.debug("campaign {}: answered", answered);
            }

            @Override
            public void ended(Attempt ended, AttemptResult result) {
                attempts.ended(ended, record, result, clock.millis());
            }
        };
        try {
            calls.dial(attempt, hunt, first.get(), progress);
        } catch (RuntimeException e) {
            // the INVITE may have left: settled as a failure that may have reached the customer, never retried
            failedDials.increment();
            log.warn("campaign {}: dialling failed; recorded as failed, not retried", attempt, e);
            hunt.release(first.get());
            progress.ended(attempt, new AttemptResult(Outcome.FAILED, 0, true, first.get().trunk(),
                    first.get().seizedAt()));
        }
        return Dialled.PLACED;
    }

    private static Optional<Instant> nextCall(Campaign campaign, Contact contact, long now) {
        ZoneId zone;
        try {
            zone = ZoneId.of(contact.timeZone());
        } catch (DateTimeException e) {
            log.warn("contact {}: time zone '{}' unknown here; called in UTC's window", contact.id(),
                    contact.timeZone());
            zone = ZoneId.of("UTC");
        }
        return CallWindow.nextCall(campaign.window(), zone, Instant.ofEpochMilli(now));
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
        Timer.Sample started = Timer.start();
        try {
            tick();
        } catch (RuntimeException e) {
            failedTicks.increment();
            log.warn("campaign scheduler tick failed; the next tick tries again", e);
        } finally {
            started.stop(tickTime);
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
        long tick = properties.tick().toMillis();
        executor.scheduleAtFixedRate(this::safeTick, tick, tick, TimeUnit.MILLISECONDS);
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
