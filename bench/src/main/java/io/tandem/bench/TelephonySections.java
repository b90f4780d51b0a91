package io.tandem.bench;

import java.util.List;

/** The sections of the telephony report, in the order they appear. */
final class TelephonySections {
    private TelephonySections() {
    }

    static List<BenchSection> all() {
        return List.of();
    }
}
