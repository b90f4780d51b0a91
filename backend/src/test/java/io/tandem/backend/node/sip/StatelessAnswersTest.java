package io.tandem.backend.node.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.node.sip.StatelessAnswers.Answered;
import io.tandem.backend.node.sip.StatelessAnswers.First;
import io.tandem.backend.node.sip.StatelessAnswers.InProgress;
import io.tandem.backend.node.sip.StatelessAnswers.Key;
import io.tandem.telephony.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The answers kept for retransmissions of stateless requests, on fake time. */
class StatelessAnswersTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

    private static Key register(String branch, long cseq) {
        return new Key(branch, "10.0.0.7:5060", "REGISTER", "call-1@phone", cseq);
    }

    @Test
    void aRetransmissionGetsTheFirstAnswerAndAnotherRequestIsNew() {
        StatelessAnswers answers = new StatelessAnswers(100, clock);
        First first = (First) answers.claim(register("z9hG4bK-1", 1));
        first.answered("SIP/2.0 401 Unauthorized\r\n");

        assertThat(answers.claim(register("z9hG4bK-1", 1))).isEqualTo(new Answered("SIP/2.0 401 Unauthorized\r\n"));
        // The authenticated REGISTER: new branch and CSeq, a request of its own.
        assertThat(answers.claim(register("z9hG4bK-2", 2))).isInstanceOf(First.class);
        // Same branch reused with another CSeq (an RFC 2543 client): not a retransmission either.
        assertThat(answers.claim(register("z9hG4bK-1", 3))).isInstanceOf(First.class);
    }

    @Test
    void aCopyArrivingWhileTheFirstIsHandledIsAbsorbed() {
        StatelessAnswers answers = new StatelessAnswers(100, clock);
        First first = (First) answers.claim(register("z9hG4bK-1", 1));

        assertThat(answers.claim(register("z9hG4bK-1", 1))).isInstanceOf(InProgress.class);
        first.answered("SIP/2.0 200 OK\r\n");
        first.release(); // answered: releasing keeps the answer
        assertThat(answers.claim(register("z9hG4bK-1", 1))).isEqualTo(new Answered("SIP/2.0 200 OK\r\n"));
    }

    @Test
    void aFirstCopySaysWhetherItsAnswerIsKept() {
        First first = (First) new StatelessAnswers(100, clock).claim(register("z9hG4bK-1", 1));
        assertThat(first.isAnswered()).isFalse();
        first.answered("SIP/2.0 200 OK\r\n");
        assertThat(first.isAnswered()).isTrue();
        // Nothing kept at all: the router must not let a transaction go whose answer it could not repeat.
        First unkept = (First) new StatelessAnswers(0, clock).claim(register("z9hG4bK-1", 1));
        unkept.answered("SIP/2.0 200 OK\r\n");
        assertThat(unkept.isAnswered()).isFalse();
    }

    @Test
    void anUnansweredRequestIsHandledAgainWhenRetransmitted() {
        StatelessAnswers answers = new StatelessAnswers(100, clock);
        ((First) answers.claim(register("z9hG4bK-1", 1))).release();

        assertThat(answers.claim(register("z9hG4bK-1", 1))).isInstanceOf(First.class);
    }

    @Test
    void answersAreKeptForTimerFThenForgotten() {
        StatelessAnswers answers = new StatelessAnswers(100, clock);
        ((First) answers.claim(register("z9hG4bK-1", 1))).answered("SIP/2.0 200 OK\r\n");

        clock.advance(StatelessAnswers.KEPT.minusMillis(1));
        assertThat(answers.claim(register("z9hG4bK-1", 1))).isInstanceOf(Answered.class);
        clock.advance(Duration.ofMillis(1));
        assertThat(answers.claim(register("z9hG4bK-1", 1))).isInstanceOf(First.class);
        assertThat(answers.size()).isEqualTo(1); // the expired one is gone, the new claim is kept
    }

    @Test
    void pastCapacityTheOldestAnswersGoFirst() {
        StatelessAnswers answers = new StatelessAnswers(3, clock);
        for (int i = 1; i <= 5; i++) {
            ((First) answers.claim(register("z9hG4bK-" + i, i))).answered("answer " + i);
            clock.advance(Duration.ofMillis(10));
        }
        assertThat(answers.size()).isLessThanOrEqualTo(4);
        assertThat(answers.claim(register("z9hG4bK-5", 5))).isEqualTo(new Answered("answer 5"));
        assertThat(answers.claim(register("z9hG4bK-4", 4))).isEqualTo(new Answered("answer 4"));
        assertThat(answers.claim(register("z9hG4bK-1", 1))).isInstanceOf(First.class);
    }

    @Test
    void capacityZeroKeepsNothing() {
        StatelessAnswers answers = new StatelessAnswers(0, clock);
        ((First) answers.claim(register("z9hG4bK-1", 1))).answered("SIP/2.0 200 OK\r\n");

        assertThat(answers.claim(register("z9hG4bK-1", 1))).isInstanceOf(First.class);
        assertThat(answers.size()).isZero();
    }
}
