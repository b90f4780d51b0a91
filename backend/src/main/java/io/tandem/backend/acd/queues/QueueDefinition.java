package io.tandem.backend.acd.queues;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;

/**
 * One queue of a tenant, as admins write it (REST, YAML seed) and every node reads it from Redis. Times are whole
 * seconds; 0 means "none" where noted.
 *
 * @param number             dialled number, also the queue's id in keys
 * @param name               shown to agents and supervisors
 * @param strategy           how the agent is picked
 * @param maxWaitSeconds     a caller waiting longer leaves to {@code overflow} (0 = no limit)
 * @param maxLength          callers beyond this are refused at the door (0 = no limit)
 * @param joinEmpty          callers may join while no member is logged in (default true)
 * @param leaveWhenEmpty     waiting callers leave (to {@code overflow}) when the last member logs out
 * @param ringTimeoutSeconds how long one offer rings
 * @param retryDelaySeconds  pause before the same caller is offered again after a miss
 * @param wrapUpSeconds      wrap-up after each call (0 = straight back to available)
 * @param maxMisses          unanswered offers in a row before the agent goes not-ready (0 = never)
 * @param serviceLevelSeconds calls answered within this count toward the service level
 * @param tierDelaySeconds   members of tier n join after (n-1) × this many seconds of the caller's wait
 * @param members            agents of the queue, in order (linear and round-robin follow it)
 * @param announcements      position and estimated-wait announcements
 * @param musicOnHold        music class played while waiting
 * @param exitKey            DTMF digit that leaves the queue to {@code exitDestination} (empty = none)
 * @param exitDestination    where the exit key leads
 * @param overflow           where a caller goes after {@code maxWaitSeconds}
 * @param park               parking callers in a room on their node for the callback service (default off)
 */
public record QueueDefinition(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                message = "must be 1-64 letters, digits, '.', '_' or '-'") String number,
        @NotBlank @Size(max = 80) String name,
        @NotNull Strategy strategy,
        @Min(0) @Max(86_400) int maxWaitSeconds,
        @Min(0) @Max(100_000) int maxLength,
        Boolean joinEmpty,
        boolean leaveWhenEmpty,
        @Min(1) @Max(600) int ringTimeoutSeconds,
        @Min(0) @Max(3_600) int retryDelaySeconds,
        @Min(0) @Max(3_600) int wrapUpSeconds,
        @Min(0) @Max(100) int maxMisses,
        @Min(1) @Max(3_600) int serviceLevelSeconds,
        @Min(0) @Max(3_600) int tierDelaySeconds,
        @NotNull @Size(max = 5_000) List<@Valid @NotNull Member> members,
        @Valid Announcements announcements,
        @Size(max = 64) String musicOnHold,
        @Pattern(regexp = "[0-9*#]?", message = "must be one DTMF digit (0-9, *, #) or empty") String exitKey,
        @Valid Destination exitDestination,
        @Valid Destination overflow,
        @Valid Park park) {

    /** A definition without a park setting (parking off), as written before queues could park. */
    public QueueDefinition(String number, String name, Strategy strategy, int maxWaitSeconds, int maxLength,
            Boolean joinEmpty, boolean leaveWhenEmpty, int ringTimeoutSeconds, int retryDelaySeconds, int wrapUpSeconds,
            int maxMisses, int serviceLevelSeconds, int tierDelaySeconds, List<Member> members,
            Announcements announcements, String musicOnHold, String exitKey, Destination exitDestination,
            Destination overflow) {
        this(number, name, strategy, maxWaitSeconds, maxLength, joinEmpty, leaveWhenEmpty, ringTimeoutSeconds,
                retryDelaySeconds, wrapUpSeconds, maxMisses, serviceLevelSeconds, tierDelaySeconds, members,
                announcements, musicOnHold, exitKey, exitDestination, overflow, Park.OFF);
    }

    public QueueDefinition {
        joinEmpty = joinEmpty == null || joinEmpty;
        ringTimeoutSeconds = ringTimeoutSeconds == 0 ? 15 : ringTimeoutSeconds; // omitted in JSON/YAML
        serviceLevelSeconds = serviceLevelSeconds == 0 ? 20 : serviceLevelSeconds;
        members = members == null ? List.of() : List.copyOf(members);
        announcements = announcements == null ? Announcements.DEFAULT : announcements;
        musicOnHold = musicOnHold == null || musicOnHold.isBlank() ? "default" : musicOnHold;
        exitKey = exitKey == null ? "" : exitKey;
        exitDestination = exitDestination == null ? Destination.NONE : exitDestination;
        overflow = overflow == null ? Destination.NONE : overflow;
        park = park == null ? Park.OFF : park;
    }

    /** A queue with the usual defaults (ring 15 s, retry 5 s, wrap-up 10 s, 3 misses, service level 20 s). */
    public static QueueDefinition standard(String number, String name, Strategy strategy, List<Member> members) {
        return new QueueDefinition(number, name, strategy, 0, 0, true, false, 15, 5, 10, 3, 20, 30, members,
                Announcements.DEFAULT, "default", "", Destination.NONE, Destination.NONE);
    }

    /** This definition with other members. */
    public QueueDefinition withMembers(List<Member> newMembers) {
        return new QueueDefinition(number, name, strategy, maxWaitSeconds, maxLength, joinEmpty, leaveWhenEmpty,
                ringTimeoutSeconds, retryDelaySeconds, wrapUpSeconds, maxMisses, serviceLevelSeconds, tierDelaySeconds,
                newMembers, announcements, musicOnHold, exitKey, exitDestination, overflow, park);
    }

    /** This definition with another park setting. */
    public QueueDefinition withPark(Park newPark) {
        return new QueueDefinition(number, name, strategy, maxWaitSeconds, maxLength, joinEmpty, leaveWhenEmpty,
                ringTimeoutSeconds, retryDelaySeconds, wrapUpSeconds, maxMisses, serviceLevelSeconds, tierDelaySeconds,
                members, announcements, musicOnHold, exitKey, exitDestination, overflow, newPark);
    }

    /**
     * Parking (issue 15, the callback service): a caller leaves the queue into a room on the node holding its call,
     * hears a prompt and music, and the callback service wakes agents to join it; nobody within the timeout and the
     * caller is told it will be called back (the service makes a ticket that keeps its place).
     *
     * @param enabled        the queue parks at all (default false)
     * @param whenNoAgent    a caller for whom no member is available when it arrives is parked at once (default
     *                       true)
     * @param onExitKey      the queue's exit key parks the caller instead of leading to {@code exitDestination}
     *                       (default false)
     * @param afterSeconds   a caller still waiting after this many seconds is parked (0 = never; default 0)
     * @param timeoutSeconds nobody joined within this many seconds: "we will call you back", BYE (default 90)
     * @param ticketOnAbandon a caller hanging up while parked is still called back: the callback service makes a
     *                       ticket as for a timeout (default false: an abandon is only logged)
     * @param wake           whom the callback service wakes for a parked caller, and when (default {@code all})
     * @param wakeTierDelaySeconds with {@code wake: tiers}, the next member tier is woken after this many more seconds
     *                       in which nobody joined (default 20)
     */
    public record Park(boolean enabled, Boolean whenNoAgent, boolean onExitKey,
            @Min(0) @Max(86_400) int afterSeconds, @Min(1) @Max(3_600) int timeoutSeconds, boolean ticketOnAbandon,
            Wake wake, @Min(1) @Max(3_600) int wakeTierDelaySeconds) {

        public static final Park OFF = new Park(false, true, false, 0, 90);
        /** The tier delay of a queue that does not set one. */
        public static final int DEFAULT_WAKE_TIER_DELAY_SECONDS = 20;

        public Park {
            whenNoAgent = whenNoAgent == null || whenNoAgent;
            timeoutSeconds = timeoutSeconds == 0 ? 90 : timeoutSeconds; // omitted in JSON/YAML
            wake = wake == null ? Wake.ALL : wake;
            wakeTierDelaySeconds = wakeTierDelaySeconds == 0 ? DEFAULT_WAKE_TIER_DELAY_SECONDS : wakeTierDelaySeconds;
        }

        /** Waking every sleeping member at once. */
        public Park(boolean enabled, Boolean whenNoAgent, boolean onExitKey, int afterSeconds, int timeoutSeconds,
                boolean ticketOnAbandon) {
            this(enabled, whenNoAgent, onExitKey, afterSeconds, timeoutSeconds, ticketOnAbandon, Wake.ALL,
                    DEFAULT_WAKE_TIER_DELAY_SECONDS);
        }

        /** Without a ticket on abandon, waking every sleeping member at once. */
        public Park(boolean enabled, Boolean whenNoAgent, boolean onExitKey, int afterSeconds, int timeoutSeconds) {
            this(enabled, whenNoAgent, onExitKey, afterSeconds, timeoutSeconds, false);
        }

        /** This setting waking by {@code newWake}, the next tier after {@code tierDelaySeconds}. */
        public Park withWake(Wake newWake, int tierDelaySeconds) {
            return new Park(enabled, whenNoAgent, onExitKey, afterSeconds, timeoutSeconds, ticketOnAbandon, newWake,
                    tierDelaySeconds);
        }

        /** Parking with the defaults: at once when no member is available, 90 s to join. */
        public static Park onNoAgent() {
            return new Park(true, true, false, 0, 90);
        }

        /**
         * Whom the callback service wakes for a parked caller: the queue's members who are asleep (logged out or not
         * ready) and reachable (a push binding, a running softphone).
         */
        public enum Wake {
            /** All of them at once. */
            @JsonProperty("all") ALL,
            /**
             * By member tier: the lowest tier first, then the next tier added every {@code wakeTierDelaySeconds}
             * while nobody joined; by penalty within a tier.
             */
            @JsonProperty("tiers") TIERS;

            /** The name in JSON, YAML and the room's hash the callback service reads. */
            public String wireName() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }

    /**
     * An agent in a queue.
     *
     * @param agent   agent id (extension)
     * @param tier    1 = from the start; higher tiers join later ({@code tierDelaySeconds})
     * @param penalty lower is preferred by skills-based routing
     */
    public record Member(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", message = "must be an extension") String agent,
            @Min(1) @Max(9) int tier,
            @Min(0) @Max(100) int penalty) {

        public Member {
            tier = tier == 0 ? 1 : tier;
        }

        public static Member of(String agent) {
            return new Member(agent, 1, 0);
        }
    }

    /**
     * What a waiting caller hears about the queue.
     *
     * @param position          announce the position
     * @param estimatedWait     announce the estimated wait
     * @param firstAfterSeconds first announcement after this many seconds of waiting
     * @param everySeconds      then repeated this often (0 = once)
     */
    public record Announcements(boolean position, boolean estimatedWait,
            @Min(0) @Max(3_600) int firstAfterSeconds, @Min(0) @Max(3_600) int everySeconds) {

        public static final Announcements DEFAULT = new Announcements(true, true, 30, 60);
    }

    /**
     * Where a caller goes when leaving a queue other than to an agent.
     *
     * @param kind       {@code none}, {@code queue}, {@code extension} or {@code callback}
     * @param target     queue number or extension (empty for none and callback)
     * @param orCallback for {@code extension}: when it cannot be reached (404, 480, 486, no answer within the
     *                   queue's ring timeout) the caller leaves a callback request instead of hearing an apology
     */
    public record Destination(
            @NotNull @Pattern(regexp = "none|queue|extension|callback",
                    message = "must be none, queue, extension or callback") String kind,
            @Size(max = 64) @Pattern(regexp = "|[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                    message = "must be a queue number or an extension") String target,
            boolean orCallback) {

        public static final Destination NONE = new Destination("none", "");

        public Destination(String kind, String target) {
            this(kind, target, false);
        }

        public Destination {
            target = target == null ? "" : target;
        }

        /** Validation only (path {@code ….targetConsistent}): queue and extension name a target, the others none. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        @jakarta.validation.constraints.AssertTrue(
                message = "target: required for kind queue or extension, must be empty for none and callback;"
                        + " orCallback only for kind extension")
        public boolean isTargetConsistent() {
            boolean needsTarget = "queue".equals(kind) || "extension".equals(kind);
            return needsTarget != target.isEmpty() && (!orCallback || "extension".equals(kind));
        }
    }
}
