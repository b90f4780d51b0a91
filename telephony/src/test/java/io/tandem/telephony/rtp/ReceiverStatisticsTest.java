package io.tandem.telephony.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sequences worked out by hand against RFC 3550 Appendix A.1, A.3 and A.8. */
class ReceiverStatisticsTest {
    private final ReceiverStatistics stats = new ReceiverStatistics();

    private void feed(int... seqs) {
        for (int s : seqs) {
            stats.onPacket(s, s * 160L, s * 160L);
        }
    }

    @Test
    void firstPacketIsProbationSecondInSequenceValidates() {
        assertThat(stats.onPacket(100, 0, 0)).isFalse();
        assertThat(stats.validated()).isFalse();
        assertThat(stats.onPacket(101, 160, 160)).isTrue();
        assertThat(stats.validated()).isTrue();
        // A.1 init_seq at the validating packet: base = 101, received = 1
        assertThat(stats.expected()).isEqualTo(1);
        assertThat(stats.received()).isEqualTo(1);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void outOfOrderProbationRestartsIt() {
        assertThat(stats.onPacket(10, 0, 0)).isFalse();
        assertThat(stats.onPacket(12, 0, 0)).isFalse(); // not 11: probation restarts at 12
        assertThat(stats.onPacket(13, 0, 0)).isTrue();
    }

    @Test
    void lossIsExpectedMinusReceivedAndFractionIsPerInterval() {
        feed(1, 2, 3, 4, 6, 7, 10); // after validation at 2: 2..10 expected = 9, received 6 → lost 3
        assertThat(stats.expected()).isEqualTo(9);
        assertThat(stats.received()).isEqualTo(6);
        assertThat(stats.cumulativeLost()).isEqualTo(3);
        assertThat(stats.fractionLostAndReset()).isEqualTo(3 * 256 / 9); // 85
        feed(11, 12, 13, 14); // no loss in the new interval
        assertThat(stats.fractionLostAndReset()).isZero();
        assertThat(stats.cumulativeLost()).isEqualTo(3);
    }

    @Test
    void reorderedPacketsAreNotLoss() {
        feed(1, 2, 3, 5, 4, 6);
        assertThat(stats.cumulativeLost()).isZero();
        assertThat(stats.extendedHighestSequence()).isEqualTo(6);
    }

    @Test
    void duplicatesCountAsReceivedSoLossCanGoNegative() {
        feed(1, 2, 3, 3, 3, 4);
        // expected 2..4 = 3, received 5 (A.1 counts duplicates) → -2, as RFC 3550 §6.4.1 allows
        assertThat(stats.cumulativeLost()).isEqualTo(-2);
        assertThat(stats.fractionLostAndReset()).isZero();
    }

    @Test
    void wrapAt65535CountsACycle() {
        feed(65533, 65534, 65535, 0, 1);
        assertThat(stats.extendedHighestSequence()).isEqualTo(65536 + 1);
        assertThat(stats.expected()).isEqualTo(4); // 65534..65537
        assertThat(stats.cumulativeLost()).isZero();
        feed(3); // 2 lost, across the wrap
        assertThat(stats.cumulativeLost()).isEqualTo(1);
    }

    @Test
    void reorderAcrossTheWrapDoesNotAddACycle() {
        feed(65534, 65535, 1, 0, 2);
        assertThat(stats.extendedHighestSequence()).isEqualTo(65536 + 2);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void aBigJumpIsIgnoredOnceAndTakenAsARestartWhenTheNextFollowsIt() {
        feed(1, 2, 3);
        assertThat(stats.onPacket(40000, 0, 0)).isFalse(); // A.1: bad_seq remembered
        assertThat(stats.onPacket(40001, 0, 0)).isTrue(); // sequential: the source restarted
        assertThat(stats.expected()).isEqualTo(1);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void jitterFollowsTheA8EstimatorForKnownTransitTimes() {
        // 20 ms packets (160 units); arrivals at 0, 170, 320, 490 units after the sender's clock
        stats.onPacket(1, 0, 1000);        // probation, no jitter sample
        stats.onPacket(2, 160, 1160);      // first valid: transit 1000, J = 0
        assertThat(stats.jitter()).isZero();
        stats.onPacket(3, 320, 1330);      // transit 1010, D = 10, J = 10/16
        assertThat(stats.jitter()).isEqualTo(10 / 16.0);
        stats.onPacket(4, 480, 1480);      // transit 1000, D = 10, J += (10 - J)/16
        double j = 10 / 16.0;
        j += (10 - j) / 16;
        assertThat(stats.jitter()).isEqualTo(j);
        stats.onPacket(5, 640, 1640);      // transit 1000, D = 0
        j += (0 - j) / 16;
        assertThat(stats.jitter()).isEqualTo(j);
    }

    @Test
    void reportBlockCarriesTheA3FiguresAndStartsANewInterval() {
        feed(1, 2, 4);
        ReportBlock b = stats.reportBlock(77, 0x1234, 99);
        assertThat(b.ssrc()).isEqualTo(77);
        assertThat(b.cumulativeLost()).isEqualTo(1);
        assertThat(b.fractionLost()).isEqualTo(256 / 3);
        assertThat(b.extendedHighestSequence()).isEqualTo(4);
        assertThat(b.lastSenderReport()).isEqualTo(0x1234);
        assertThat(stats.reportBlock(77, 0, 0).fractionLost()).isZero();
    }
}
