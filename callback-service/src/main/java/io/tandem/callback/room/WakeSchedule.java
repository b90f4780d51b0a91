package io.tandem.callback.room;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.ServiceKeys;
import java.util.List;
import java.util.OptionalInt;

/**
 * Where the tiers of a room stand, in Redis beside the room's other orchestration state, so whichever instance is
 * alive when a tier is due wakes it: {@link ServiceKeys#wakeTiersDue} (room → when its next tier is due) and
 * {@link ServiceKeys#wakeTierReached} (room → the highest tier woken). {@link RoomService}'s tier check asks for the
 * due rooms; the one that {@link #claim}s a room wakes its next tier, and {@link #advance}s or {@link #forget}s it.
 */
final class WakeSchedule {

    /** Due rooms read per tenant in one check; the rest are read on the next. */
    static final int DUE_PER_CHECK = 100;

    /**
     * KEYS[1] the due set; ARGV[1] room, ARGV[2] now, ARGV[3] the lease's end. A room due by now is pushed out to the
     * lease's end and 1 returned: this caller wakes its tier, and should it die doing so, another instance does once
     * the lease is over (the push ledger sends no push twice). 0 when the room is not due (another instance took it).
     */
    private static final String CLAIM = """
            local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not due or tonumber(due) > tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            return 1
            """;

    private final RedisCommands<String, String> redis;

    WakeSchedule(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    /**
     * Tier {@code tier} was woken and the next is due at {@code dueAt}; a repeat (PARKED handled again) changes
     * nothing, so a redelivery never sets a room back to its first tier.
     */
    void start(String tenant, String room, int tier, long dueAt) {
        redis.hsetnx(ServiceKeys.wakeTierReached(tenant), room, Integer.toString(tier));
        redis.zadd(ServiceKeys.wakeTiersDue(tenant), ZAddArgs.Builder.nx(), (double) dueAt, room);
    }

    /** The rooms whose next tier is due at {@code now}, earliest first. */
    List<String> due(String tenant, long now) {
        return redis.zrangebyscore(ServiceKeys.wakeTiersDue(tenant), Range.create(Double.NEGATIVE_INFINITY, now),
                Limit.create(0, DUE_PER_CHECK));
    }

    /** Takes the room's due tier for this instance until {@code leaseEnd}; false when it is not due (any more). */
    boolean claim(String tenant, String room, long now, long leaseEnd) {
        Long claimed = redis.eval(CLAIM, ScriptOutputType.INTEGER, new String[] {ServiceKeys.wakeTiersDue(tenant)},
                room, Long.toString(now), Long.toString(leaseEnd));
        return claimed != null && claimed == 1;
    }

    /** The highest tier woken for the room; empty when the room has no tiers in progress. */
    OptionalInt reached(String tenant, String room) {
        String tier = redis.hget(ServiceKeys.wakeTierReached(tenant), room);
        return tier == null || !tier.matches("[0-9]{1,2}") ? OptionalInt.empty()
                : OptionalInt.of(Integer.parseInt(tier));
    }

    /** Tier {@code tier} was woken; the next is due at {@code nextDueAt}. */
    void advance(String tenant, String room, int tier, long nextDueAt) {
        redis.hset(ServiceKeys.wakeTierReached(tenant), room, Integer.toString(tier));
        redis.zadd(ServiceKeys.wakeTiersDue(tenant), (double) nextDueAt, room);
    }

    /** No tier of the room is to be woken any more (the last one was, or the room is over for the service). */
    void forget(String tenant, String room) {
        redis.zrem(ServiceKeys.wakeTiersDue(tenant), room);
        redis.hdel(ServiceKeys.wakeTierReached(tenant), room);
    }
}
