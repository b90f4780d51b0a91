package io.tandem.backend.campaign;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a contact may be called: within the campaign's window ({@link Campaign.Window}) on one of its days, both in
 * the contact's own time zone. A window's times that a daylight-saving change skips are moved on by the gap
 * ({@link ZonedDateTime#of}), so a window opening at 02:30 on the spring-forward day opens at 03:30.
 */
final class CallWindow {

    private CallWindow() {
    }

    /**
     * {@code now} when the contact may be called now; otherwise the next opening of the window in the contact's
     * zone; empty when the window has no day.
     */
    static Optional<Instant> nextCall(Campaign.Window window, ZoneId zone, Instant now) {
        if (window.days().isEmpty()) {
            return Optional.empty();
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        for (int day = 0; day <= 7; day++) {
            LocalDate date = today.plusDays(day);
            if (!window.days().contains(date.getDayOfWeek())) {
                continue;
            }
            Instant opens = ZonedDateTime.of(date, window.start(), zone).toInstant();
            Instant closes = ZonedDateTime.of(date, window.end(), zone).toInstant();
            if (!now.isBefore(opens) && now.isBefore(closes)) {
                return Optional.of(now);
            }
            if (now.isBefore(opens)) {
                return Optional.of(opens);
            }
        }
        return Optional.empty();
    }
}
