package io.tandem.backend.campaign;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.trunk.OutboundLimits;
import io.tandem.backend.trunk.OutsideCalls;
import io.tandem.backend.trunk.Seizure;
import io.tandem.backend.trunk.Trunk;
import io.tandem.backend.trunk.TrunkHunt;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of the contacts of one claim: a number on a do-not-call list is settled without a call (the claim's
 * numbers asked at once), a contact outside its call window is put back for the window's opening in its own time
 * zone, the others seize a trunk under the trunk's, the node's and the campaign's limits ({@code trunk/seize.lua}) in
 * the scheduler's thread, so the seizures and the CAPS count stay exact and in order, and their INVITEs are handed to
 * the dialling thread: the scheduler never waits on the SIP stack. When no trunk has room, the contact and the rest of
 * the claim go back where they were.
 */
final class ContactDialling implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContactDialling.class);

    /** What became of a claim: the calls placed, and whether the trunks were full (the rest went back). */
    record Dialled(int placed, boolean full) {
    }

    private final DoNotCall doNotCall;
    private final OutsideCalls outsideCalls;
    private final Attempts attempts;
    private final Clock clock;
    private final String nodeId;
    private final Counter failedDials;
    private final Counter queueFull;
    /** One thread: the INVITEs leave in the order their trunks were seized. Its queue is bounded (dial-queue). */
    private final ThreadPoolExecutor dialling;

    ContactDialling(DoNotCall doNotCall, OutsideCalls outsideCalls, Attempts attempts, Clock clock, String nodeId,
            int dialQueue, MeterRegistry registry) {
        this.doNotCall = doNotCall;
        this.outsideCalls = outsideCalls;
        this.attempts = attempts;
        this.clock = clock;
        this.nodeId = nodeId;
        this.failedDials = Counter.builder("tandem.campaigns.dial.failed")
                .description("campaign calls the dialler failed to place (recorded as failed)").register(registry);
        this.queueFull = Counter.builder("tandem.campaigns.dial.queue-full")
                .description("campaign seizures given back because the dialling queue was full (contact waits)")
                .register(registry);
        this.dialling = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(dialQueue),
                runnable -> {
                    Thread thread = new Thread(runnable, "tandem-campaign-dial");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Dials the claimed contacts of {@code campaign} ({@code assignee}: the preview agent, or empty). */
    Dialled dial(CampaignDialer calls, String tenant, Campaign campaign, List<Attempts.Claimed> claimed,
            List<Trunk> trunks, OutboundLimits outbound, String assignee, long now) {
        Set<String> listed = doNotCall.listed(tenant, campaign.id(),
                claimed.stream().map(c -> c.record().contact().number()).toList());
        int placed = 0;
        boolean full = false;
        for (Attempts.Claimed contact : claimed) {
            if (full) {
                attempts.putBack(tenant, campaign.id(), contact.record(), contact.score());
                continue;
            }
            switch (call(calls, tenant, campaign, contact, listed, trunks, outbound, assignee, now)) {
                case PLACED -> placed++;
                case NO_TRUNK -> full = true;
                case NOT_CALLED -> {
                }
            }
        }
        return new Dialled(placed, full);
    }

    /** What became of one claimed contact. */
    private enum Fate { PLACED, NOT_CALLED, NO_TRUNK }

    private Fate call(CampaignDialer calls, String tenant, Campaign campaign, Attempts.Claimed claimed,
            Set<String> listed, List<Trunk> trunks, OutboundLimits outbound, String assignee, long now) {
        ContactRecord record = claimed.record();
        Contact contact = record.contact();
        if (listed.contains(contact.number())) {
            attempts.doNotCall(tenant, campaign, record, now);
            return Fate.NOT_CALLED;
        }
        Optional<Instant> next = nextCall(campaign, contact, now);
        if (next.isEmpty() || next.get().toEpochMilli() > now) {
            long dueAt = next.map(Instant::toEpochMilli).orElse(now + TimeUnit.DAYS.toMillis(1));
            log.debug("campaign {}@{}: {} outside its window; due at {}", campaign.id(), tenant, contact.id(),
                    Instant.ofEpochMilli(dueAt));
            attempts.putBack(tenant, campaign.id(), record, dueAt);
            return Fate.NOT_CALLED;
        }
        TrunkHunt hunt = outsideCalls.campaignHunt(tenant, contact.number(), trunks, outbound);
        Optional<Seizure> first = hunt.next();
        if (first.isEmpty()) {
            log.debug("campaign {}@{}: no trunk with room ({}); {} waits", campaign.id(), tenant,
                    hunt.refusal().isEmpty() ? "none in service" : hunt.refusal(), contact.id());
            attempts.putBack(tenant, campaign.id(), record, claimed.score());
            return Fate.NO_TRUNK;
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
            dialling.execute(() -> send(calls, attempt, hunt, first.get(), progress));
        } catch (RejectedExecutionException e) {
            // nothing was sent: the channel and the place in the trunk's second go back, the contact waits its turn
            queueFull.increment();
            log.warn("campaign {}: dialling queue full ({} waiting); seizure given back, contact put back", attempt,
                    dialling.getQueue().size());
            hunt.release(first.get());
            attempts.putBack(tenant, campaign.id(), record, claimed.score());
            return Fate.NO_TRUNK;
        }
        return Fate.PLACED;
    }

    /** On the dialling thread: the INVITE to the seized trunk. */
    private void send(CampaignDialer calls, Attempt attempt, TrunkHunt hunt, Seizure first,
            CampaignDialer.Progress progress) {
        try {
            calls.dial(attempt, hunt, first, progress);
        } catch (RuntimeException e) {
            // the INVITE may have left: settled as a failure that may have reached the customer, never retried
            failedDials.increment();
            log.warn("campaign {}: dialling failed; recorded as failed, not retried", attempt, e);
            hunt.release(first);
            progress.ended(attempt, new AttemptResult(Outcome.FAILED, 0, true,
                    first.trunk(), first.seizedAt()));
        }
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

    /** Lets the INVITEs already handed over leave (the SIP stack stops after the scheduler), then stops. */
    @Override
    public void close() {
        dialling.shutdown();
        try {
            if (!dialling.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("campaign dialling: {} INVITEs still queued after 5 s; stopping without them",
                        dialling.getQueue().size());
                dialling.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
