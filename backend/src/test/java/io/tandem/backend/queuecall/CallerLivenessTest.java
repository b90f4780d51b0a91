package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A waiting caller's liveness on fake time: RTP silence, the OPTIONS probe and what its answer means. */
class CallerLivenessTest {

    private final ManualTimers timers = new ManualTimers();
    private final FakeCaller caller = new FakeCaller();
    private final CallerLiveness liveness = new CallerLiveness(
            new CallerLiveness.Settings(Duration.ofSeconds(20), Duration.ofSeconds(10)), timers, caller, this);

    @Test
    void aSilentCallerIsProbedAndVanishesWhenTheProbeGoesUnanswered() {
        liveness.start();
        timers.advance(Duration.ofSeconds(19));
        assertThat(caller.probes).isZero();
        timers.advance(Duration.ofSeconds(1));
        assertThat(caller.probes).isOne();
        timers.advance(Duration.ofSeconds(9));
        assertThat(caller.vanished).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(caller.vanished).containsExactly(CallerLiveness.SILENT);
        timers.advance(Duration.ofMinutes(5));
        assertThat(caller.probes).isOne();
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aCallerSendingRtpIsNeverProbed() {
        liveness.start();
        for (int i = 0; i < 60; i++) {
            caller.packets += 250;
            timers.advance(Duration.ofSeconds(5));
        }
        assertThat(caller.probes).isZero();
        assertThat(caller.vanished).isEmpty();
    }

    @Test
    void aSilentCallerThatAnswersIsKeptAndAskedAgainAfterTheNextSilence() {
        liveness.start();
        timers.advance(Duration.ofSeconds(20));
        assertThat(caller.probes).isOne();
        liveness.answered(200); // on hold, or silence suppression: the phone is there
        timers.advance(Duration.ofSeconds(19));
        assertThat(caller.probes).isOne();
        assertThat(caller.vanished).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(caller.probes).isEqualTo(2);
        liveness.answered(405); // any answer but 481 proves the phone holds the call
        timers.advance(Duration.ofSeconds(15));
        assertThat(caller.vanished).isEmpty();
    }

    @Test
    void aPhoneThatNoLongerKnowsTheDialogHasVanished() {
        liveness.start();
        timers.advance(Duration.ofSeconds(20));
        liveness.answered(481);
        assertThat(caller.vanished).containsExactly(CallerLiveness.DIALOG_GONE);
    }

    @Test
    void rtpThatComesBackWhileTheProbeIsOutKeepsTheCaller() {
        liveness.start();
        timers.advance(Duration.ofSeconds(20));
        assertThat(caller.probes).isOne();
        caller.packets += 10;
        timers.advance(Duration.ofSeconds(10));
        assertThat(caller.vanished).isEmpty();
    }

    @Test
    void theProbeTransactionFailingIsAnUnansweredProbe() {
        liveness.start();
        timers.advance(Duration.ofSeconds(20));
        liveness.failed();
        assertThat(caller.vanished).containsExactly(CallerLiveness.SILENT);
    }

    @Test
    void aCallerThatIsNotWaitingIsNotProbed() {
        caller.waiting = false; // connected to an agent: the agent hears whether the caller is there
        liveness.start();
        timers.advance(Duration.ofMinutes(2));
        assertThat(caller.probes).isZero();
    }

    @Test
    void aProbeThatCannotBeSentIsTriedAgainOnTheNextTick() {
        caller.canProbe = false; // not ACKed yet: Timer H watches that
        liveness.start();
        timers.advance(Duration.ofSeconds(25));
        assertThat(caller.probes).isEqualTo(2);
        assertThat(caller.vanished).isEmpty();
    }

    @Test
    void stoppingEndsTheWatch() {
        liveness.start();
        timers.advance(Duration.ofSeconds(20));
        liveness.stop();
        timers.advance(Duration.ofMinutes(5));
        assertThat(caller.vanished).isEmpty();
        assertThat(timers.pending()).isZero();
    }

    @Test
    void zeroSilenceNeverWatches() {
        CallerLiveness off = new CallerLiveness(CallerLiveness.Settings.NEVER, timers, caller, this);
        off.start();
        timers.advance(Duration.ofHours(1));
        assertThat(caller.probes).isZero();
        assertThat(timers.pending()).isZero();
    }

    private static final class FakeCaller implements CallerLiveness.Caller {
        long packets;
        int probes;
        boolean waiting = true;
        boolean canProbe = true;
        final List<String> vanished = new ArrayList<>();

        @Override
        public boolean waiting() {
            return waiting;
        }

        @Override
        public long packetsReceived() {
            return packets;
        }

        @Override
        public boolean probe() {
            probes++;
            return canProbe;
        }

        @Override
        public void vanished(String why) {
            vanished.add(why);
        }
    }
}
