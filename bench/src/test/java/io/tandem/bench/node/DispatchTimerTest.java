package io.tandem.bench.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the dispatch timer from a Prometheus exposition, subtracting the warm-up, adding nodes up. */
class DispatchTimerTest {

    private static String exposition(double le1, double le2, double le4, double inf, double max) {
        return """
                # HELP tandem_queue_dispatch_seconds caller enqueued to first offer INVITE sent
                # TYPE tandem_queue_dispatch_seconds histogram
                tandem_queue_dispatch_seconds{application="tandem",quantile="0.5"} 0.0015
                tandem_queue_dispatch_seconds_bucket{application="tandem",le="0.001"} %s
                tandem_queue_dispatch_seconds_bucket{application="tandem",le="0.002"} %s
                tandem_queue_dispatch_seconds_bucket{application="tandem",le="0.004"} %s
                tandem_queue_dispatch_seconds_bucket{application="tandem",le="+Inf"} %s
                tandem_queue_dispatch_seconds_count{application="tandem"} %s
                tandem_queue_dispatch_seconds_sum{application="tandem"} 0.5
                tandem_queue_dispatch_seconds_max{application="tandem"} %s
                tandem_queue_dispatch_other_total 7
                """.formatted(le1, le2, le4, inf, inf, max);
    }

    @Test
    void percentilesInterpolateWithinTheBucketAndBoundsNameIt() {
        DispatchTimer t = DispatchTimer.parse(exposition(10, 60, 100, 100, 0.0035));
        assertThat(t.count()).isEqualTo(100);
        assertThat(t.maxSeconds()).isEqualTo(0.0035);
        // 50th of 100: in (1, 2] ms, 40 of the 50 samples there → 1 + 40/50.
        assertThat(t.interpolatedMillis(0.5)).isCloseTo(1.8, within(1e-9));
        assertThat(t.bucketBoundMillis(0.5)).isEqualTo(2.0);
        assertThat(t.bucketBoundMillis(0.99)).isEqualTo(4.0);
        assertThat(t.bucketBoundMillis(1.0)).isEqualTo(4.0);
    }

    @Test
    void theWarmUpIsSubtractedAndNodesAddUp() {
        DispatchTimer warm = DispatchTimer.parse(exposition(5, 5, 5, 5, 0.001));
        DispatchTimer after = DispatchTimer.parse(exposition(15, 65, 105, 105, 0.0035));
        DispatchTimer measured = after.minus(warm);
        assertThat(measured.count()).isEqualTo(100);
        assertThat(measured.buckets().get(0.001)).isEqualTo(10.0);
        DispatchTimer cluster = DispatchTimer.merge(List.of(measured, DispatchTimer.parse(exposition(0, 0, 100, 100,
                0.004))));
        assertThat(cluster.count()).isEqualTo(200);
        assertThat(cluster.bucketBoundMillis(0.5)).isEqualTo(4.0); // 60 of 200 within 2 ms
        assertThat(cluster.maxSeconds()).isEqualTo(0.004);
    }
}
