package io.tandem.backend.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallWindowTest {

    private static final Campaign.Window NINE_TO_EIGHT_WEEKDAYS = new Campaign.Window(LocalTime.of(9, 0),
            LocalTime.of(20, 0), List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY, DayOfWeek.FRIDAY));
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void withinTheWindowInTheContactsZoneTheContactIsCalledNow() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z"); // Monday, 11:00 in Berlin
        assertThat(CallWindow.nextCall(NINE_TO_EIGHT_WEEKDAYS, BERLIN, now)).contains(now);
    }

    @Test
    void beforeTheWindowTheContactIsDueAtItsOpeningInItsOwnZone() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z"); // Monday, 05:00 in New York
        assertThat(CallWindow.nextCall(NINE_TO_EIGHT_WEEKDAYS, NEW_YORK, now))
                .contains(Instant.parse("2026-12-07T14:00:00Z"));
    }

    @Test
    void afterTheWindowOnFridayTheContactIsDueOnMondayMorning() {
        Instant now = Instant.parse("2026-12-11T19:30:00Z"); // Friday, 20:30 in Berlin
        assertThat(CallWindow.nextCall(NINE_TO_EIGHT_WEEKDAYS, BERLIN, now))
                .contains(Instant.parse("2026-12-14T08:00:00Z"));
    }

    @Test
    void theClosingMinuteIsOutsideTheWindow() {
        Instant closing = Instant.parse("2026-12-07T19:00:00Z"); // Monday, 20:00 in Berlin
        assertThat(CallWindow.nextCall(NINE_TO_EIGHT_WEEKDAYS, BERLIN, closing))
                .contains(Instant.parse("2026-12-08T08:00:00Z"));
    }

    @Test
    void anOpeningThatDaylightSavingSkipsMovesOnByTheGap() {
        Campaign.Window early = new Campaign.Window(LocalTime.of(2, 30), LocalTime.of(4, 0),
                List.of(DayOfWeek.SUNDAY));
        Instant now = Instant.parse("2026-03-28T23:00:00Z"); // Sunday 29 March, 00:00 in Berlin; 02:00 → 03:00
        assertThat(CallWindow.nextCall(early, BERLIN, now)).contains(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void aWindowWithoutDaysNeverOpens() {
        Campaign.Window never = new Campaign.Window(LocalTime.of(9, 0), LocalTime.of(17, 0), List.of());
        assertThat(CallWindow.nextCall(never, BERLIN, Instant.parse("2026-12-07T10:00:00Z"))).isEmpty();
    }
}
