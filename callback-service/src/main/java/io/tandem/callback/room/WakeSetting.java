package io.tandem.callback.room;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whom a parked caller wakes, as the queue's park setting says ({@code park.wake}, {@code park.wakeTierDelaySeconds}
 * in the queue definition on the nodes). The node copies both into the room's hash when it parks the caller
 * ({@code wake} = {@code all} | {@code tiers}, {@code wakeTierDelay} in ms), beside the room's {@code deadline}, so the
 * service reads the setting the room was opened with, and the queue definition stays the one place it is set.
 *
 * @param tiers     wake by member tier (else all sleeping members at once)
 * @param tierDelay with tiers, how long the service waits for a join before it wakes the next tier too
 */
record WakeSetting(boolean tiers, Duration tierDelay) {

    private static final Logger log = LoggerFactory.getLogger(WakeSetting.class);
    /** The nodes' default ({@code QueueDefinition.Park.DEFAULT_WAKE_TIER_DELAY_SECONDS}). */
    static final Duration DEFAULT_TIER_DELAY = Duration.ofSeconds(20);
    /** Every sleeping member at once: a room hash without a {@code wake} field (a node from before tiers). */
    static final WakeSetting ALL = new WakeSetting(false, DEFAULT_TIER_DELAY);

    /** The setting in the room's hash ({@code protocol}'s {@code CallbackKeys.room}). */
    static WakeSetting of(String room, Map<String, String> hash) {
        String wake = hash.getOrDefault("wake", "");
        if (wake.isEmpty() || "all".equals(wake)) {
            return ALL;
        }
        if (!"tiers".equals(wake)) {
            log.warn("room {}: wake '{}' is neither all nor tiers (a newer node?); every sleeping member is woken",
                    room, wake);
            return ALL;
        }
        String delay = hash.getOrDefault("wakeTierDelay", "");
        if (!delay.matches("[0-9]{1,10}") || Long.parseLong(delay) == 0) {
            log.warn("room {}: wakeTierDelay '{}' is no positive number of ms; the next tier after {}", room, delay,
                    DEFAULT_TIER_DELAY);
            return new WakeSetting(true, DEFAULT_TIER_DELAY);
        }
        return new WakeSetting(true, Duration.ofMillis(Long.parseLong(delay)));
    }
}
