package io.tandem.backend.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntervalReportTest {

    private static final LocalDate DAY = LocalDate.parse("2026-12-07");

    private static QueueLogEntry line(String time, String queue, String event, String data1) {
        return new QueueLogEntry("0-0", Instant.parse("2026-12-07T" + time + "Z"), "c", queue, "NONE", event, data1,
                "", "", "", "");
    }

    @Test
    void countsEachFifteenMinutesAndCumulatesTheServiceLevelThroughTheDay() {
        List<Interval> day = IntervalReport.of(DAY, List.of(
                line("09:00:00", "7000", "ENTERQUEUE", ""),
                line("09:00:10", "7000", "CONNECT", "10"),    // within 20 s
                line("09:14:59", "7000", "ENTERQUEUE", ""),
                line("09:15:40", "7000", "CONNECT", "41"),    // late, next interval
                line("09:20:00", "7001", "ENTERQUEUE", ""),
                line("09:21:00", "7001", "ABANDON", "1"),
                line("09:22:00", "7001", "AGENTLOGIN", "")), Map.of("7000", 20, "7001", 60));

        assertThat(day).hasSize(96);
        Interval nine = day.get(36);
        assertThat(nine.start()).isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
        assertThat(nine.offered()).isEqualTo(2);
        assertThat(nine.answered()).isEqualTo(1);
        assertThat(nine.serviceLevelPercent()).isEqualTo(100.0);
        Interval quarterPast = day.get(37);
        assertThat(quarterPast.offered()).isEqualTo(1);
        assertThat(quarterPast.answered()).isEqualTo(1);
        assertThat(quarterPast.abandoned()).isEqualTo(1);
        assertThat(quarterPast.serviceLevelPercent()).as("1 within target of 3 handled").isCloseTo(33.3, offset(0.1));
        assertThat(day.get(0).serviceLevelPercent()).as("nothing handled yet").isNull();
        assertThat(day.get(95).serviceLevelPercent()).as("the day's level carries on").isEqualTo(
                quarterPast.serviceLevelPercent());
    }

    @Test
    void linesOfAnotherDayAreLeftOut() {
        List<Interval> day = IntervalReport.of(DAY, List.of(new QueueLogEntry("0-0",
                Instant.parse("2026-12-08T00:00:00Z"), "c", "7000", "NONE", "ENTERQUEUE", "", "", "", "", "")),
                Map.of());
        assertThat(day.stream().mapToInt(Interval::offered).sum()).isZero();
    }
}
