package io.tandem.backend.wallboard;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Optional;

/**
 * When a queue's wallboard tile turns to warning and to alarm, set per queue by supervisors. A figure left out
 * (null) never colours the tile. The tile also says which figure crossed which level in words and an icon, so colour
 * is never the only signal.
 *
 * @param waiting             callers waiting: warning at {@code warn} or more, alarm at {@code alarm} or more
 * @param longestWaitSeconds  the longest wait now, in seconds: the same, higher is worse
 * @param serviceLevelPercent today's service level in %: lower is worse (warning at {@code warn} or less, alarm at
 *                            {@code alarm} or less); a queue with no service level yet ("—") is not coloured by it
 */
public record TileThresholds(@Valid Level waiting, @Valid Level longestWaitSeconds,
        @Valid Level serviceLevelPercent) {

    /** No threshold: the tile is never coloured. */
    public static final TileThresholds NONE = new TileThresholds(null, null, null);

    /**
     * One figure's two levels.
     *
     * @param warn  the warning level
     * @param alarm the alarm level, beyond the warning level in the figure's bad direction (or equal to it)
     */
    public record Level(@NotNull @Min(0) @Max(100_000) Integer warn, @NotNull @Min(0) @Max(100_000) Integer alarm) {
    }

    /** An invalid field of a set of thresholds, named as the API names fields ({@code longestWaitSeconds.alarm}). */
    public record Invalid(String field, String message) {
    }

    /**
     * What Bean Validation cannot say on one field: the alarm level lies beyond the warning level, and a percentage
     * is at most 100. Empty when the thresholds are consistent.
     */
    @JsonIgnore
    public Optional<Invalid> inconsistency() {
        if (serviceLevelPercent != null) {
            if (serviceLevelPercent.warn() > 100) {
                return Optional.of(new Invalid("serviceLevelPercent.warn", "must be at most 100"));
            }
            if (serviceLevelPercent.alarm() > serviceLevelPercent.warn()) {
                return Optional.of(new Invalid("serviceLevelPercent.alarm", "must be at most the warning level ("
                        + serviceLevelPercent.warn() + " %): a lower service level is worse"));
            }
        }
        return higherIsWorse("waiting", waiting).or(() -> higherIsWorse("longestWaitSeconds", longestWaitSeconds));
    }

    private static Optional<Invalid> higherIsWorse(String name, Level level) {
        if (level != null && level.alarm() < level.warn()) {
            return Optional.of(new Invalid(name + ".alarm", "must be at least the warning level (" + level.warn()
                    + ")"));
        }
        return Optional.empty();
    }
}
