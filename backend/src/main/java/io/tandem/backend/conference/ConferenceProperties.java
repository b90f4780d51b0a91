package io.tandem.backend.conference;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rooms this node holds for parked callers ({@code tandem.conference.*}).
 *
 * @param roomEventsMaxLength   the room-event stream is trimmed to about this many entries (XADD MAXLEN ~)
 * @param closedRoomKeepSeconds a closed room's hash stays this long, so a late join learns why it is refused
 * @param commandDoneSeconds    a carried-out command id is remembered this long (commands arrive at least once)
 * @param commandBlockMillis    one XREADGROUP waits this long for a command before it asks again (shorter than
 *                              {@code tandem.redis.command-timeout})
 */
@Validated
@ConfigurationProperties("tandem.conference")
public record ConferenceProperties(
        @DefaultValue("10000") long roomEventsMaxLength,
        @DefaultValue("86400") long closedRoomKeepSeconds,
        @DefaultValue("86400") long commandDoneSeconds,
        @DefaultValue("1000") long commandBlockMillis) {

    public ConferenceProperties {
        if (roomEventsMaxLength < 100) {
            throw new IllegalArgumentException("tandem.conference.room-events-max-length must be at least 100");
        }
        if (closedRoomKeepSeconds < 1) {
            throw new IllegalArgumentException("tandem.conference.closed-room-keep-seconds must be positive");
        }
        if (commandDoneSeconds < 60) {
            throw new IllegalArgumentException("tandem.conference.command-done-seconds must be at least 60");
        }
        if (commandBlockMillis < 100 || commandBlockMillis > 60_000) {
            throw new IllegalArgumentException("tandem.conference.command-block-millis must be 100-60000");
        }
    }
}
