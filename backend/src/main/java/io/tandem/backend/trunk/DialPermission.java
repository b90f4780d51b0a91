package io.tandem.backend.trunk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How far a user may call outside, and by the same scale how far a number is: a user may call a number whose class
 * is at most its own. {@link #NONE} is no outside call at all (every user has it until an admin says otherwise).
 */
public enum DialPermission {
    @JsonProperty("none") NONE,
    @JsonProperty("local") LOCAL,
    @JsonProperty("national") NATIONAL,
    @JsonProperty("international") INTERNATIONAL;

    /** True when a user with this permission may call a number of class {@code number}. */
    boolean covers(DialPermission number) {
        return number != NONE && compareTo(number) >= 0;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
