package io.tandem.backend.wallboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.wallboard.TileThresholds.Invalid;
import io.tandem.backend.wallboard.TileThresholds.Level;
import org.junit.jupiter.api.Test;

class TileThresholdsTest {

    @Test
    void anAlarmBeforeTheWarningIsNamedOnTheAlarmField() {
        assertThat(new TileThresholds(new Level(5, 3), null, null).inconsistency()).get().extracting(Invalid::field)
                .isEqualTo("waiting.alarm");
        assertThat(new TileThresholds(null, new Level(60, 30), null).inconsistency()).get()
                .extracting(Invalid::message).asString().contains("at least the warning level (60)");
    }

    @Test
    void aLowerServiceLevelIsWorseSoItsAlarmLiesBelowItsWarning() {
        assertThat(new TileThresholds(null, null, new Level(80, 60)).inconsistency()).isEmpty();
        assertThat(new TileThresholds(null, null, new Level(60, 80)).inconsistency()).get()
                .extracting(Invalid::field).isEqualTo("serviceLevelPercent.alarm");
        assertThat(new TileThresholds(null, null, new Level(120, 60)).inconsistency()).get()
                .extracting(Invalid::field).isEqualTo("serviceLevelPercent.warn");
    }

    @Test
    void equalLevelsAndMissingFiguresAreConsistent() {
        assertThat(new TileThresholds(new Level(3, 3), new Level(0, 90), null).inconsistency()).isEmpty();
        assertThat(TileThresholds.NONE.inconsistency()).isEmpty();
    }
}
