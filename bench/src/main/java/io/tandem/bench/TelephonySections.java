package io.tandem.bench;

import io.tandem.bench.telephony.CallSetupSection;
import io.tandem.bench.telephony.CodecBenchmark;
import io.tandem.bench.telephony.MixerBenchmark;
import io.tandem.bench.telephony.RelayCapacitySection;
import io.tandem.bench.telephony.RelayCeilingSection;
import io.tandem.bench.telephony.RelayThroughputSection;
import io.tandem.bench.telephony.SignallingBenchmark;

import java.util.List;

/** The sections of the telephony report, in the order they appear. */
final class TelephonySections {
    private TelephonySections() {
    }

    static List<BenchSection> all() {
        return List.of(
                CodecBenchmark.section(),
                SignallingBenchmark.section(),
                MixerBenchmark.section(),
                new RelayThroughputSection(),
                new RelayCeilingSection(),
                new RelayCapacitySection(),
                new CallSetupSection());
    }

    /** Only the relay's sections ({@code --suite relay}), to measure a relay change without the rest. */
    static List<BenchSection> relay() {
        return List.of(new RelayThroughputSection(), new RelayCeilingSection(), new RelayCapacitySection());
    }
}
