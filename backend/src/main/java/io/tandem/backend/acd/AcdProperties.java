package io.tandem.backend.acd;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ACD ({@code tandem.acd.*}): agent sessions, leases, dispatch and the queue seed.
 *
 * @param notReadyReasons  reason codes an agent may give for not-ready (the system adds {@code no-answer} and
 *                         {@code login})
 * @param tokenTtl         lifetime of an agent session token
 * @param leaseMargin      a reservation's lease outlives the queue's ring timeout by this much, so the node ringing
 *                         the agent reports first and the lease only catches nodes that died
 * @param sweepInterval    how often every node expires leases and wrap-up timers
 * @param dispatchInterval the dispatcher's safety-net sweep over every queue with waiting callers
 * @param presenceGrace    an agent with neither a WebSocket nor a SIP binding is logged out after this
 * @param claimScanLimit   callers one claim looks at (head of the queue) before giving up
 * @param ringAllMax       agents one ring-all offer rings at most
 * @param eventsMaxLength  approximate length kept of a tenant's event stream ({@code XADD MAXLEN ~})
 * @param queueLogMaxLength approximate length kept of a tenant's queue log
 * @param seedFile         optional YAML file of queues per tenant (see {@link QueueSeeder})
 * @param demoQueues       seed 7000 "support", 7001 "sales" and 7002 "app support" (parks) in the demo tenant when the
 *                         demo is enabled
 */
@Validated
@ConfigurationProperties("tandem.acd")
public record AcdProperties(
        @DefaultValue({"break", "lunch", "meeting", "training", "after-call-work"}) List<String> notReadyReasons,
        @DefaultValue("12h") @NotNull Duration tokenTtl,
        @DefaultValue("5s") @NotNull Duration leaseMargin,
        @DefaultValue("1s") @NotNull Duration sweepInterval,
        @DefaultValue("2s") @NotNull Duration dispatchInterval,
        @DefaultValue("30s") @NotNull Duration presenceGrace,
        @DefaultValue("50") @Min(1) @Max(10_000) int claimScanLimit,
        @DefaultValue("10") @Min(1) @Max(100) int ringAllMax,
        @DefaultValue("100000") @Min(100) long eventsMaxLength,
        @DefaultValue("100000") @Min(100) long queueLogMaxLength,
        @DefaultValue("") String seedFile,
        @DefaultValue("true") boolean demoQueues) {

    /** Reasons the system sets itself; an agent may not choose them. */
    static final List<String> SYSTEM_REASONS = List.of("no-answer", "unreachable", "login");

    public AcdProperties {
        notReadyReasons = List.copyOf(notReadyReasons);
        for (Duration d : new Duration[] {tokenTtl, leaseMargin, sweepInterval, dispatchInterval, presenceGrace}) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException("tandem.acd durations must be positive (got " + d + ")");
            }
        }
        for (String reason : notReadyReasons) {
            if (!reason.matches("[a-z0-9][a-z0-9-]{0,31}")) {
                throw new IllegalArgumentException("tandem.acd.not-ready-reasons: '" + reason
                        + "' must be 1-32 lower-case letters, digits or '-'");
            }
        }
    }
}
