package io.tandem.telephony.ua;

import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RecordingListener;
import io.tandem.telephony.testing.ToneCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.tandem.telephony.testing.RecordingListener.next;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 3515 blind transfer among three of our user agents: A calls B, B sends A on to C. */
class BlindTransferIT {
    private static final Duration AUDIO = Duration.ofSeconds(20);
    private final Phones phones = new Phones();

    @AfterEach
    void close() {
        phones.close();
    }

    @Test
    void transferredCallerTalksToTheTargetAndTheTransferorIsOut() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        RecordingListener bEvents = new RecordingListener().answering();
        ToneCount cHears1k = new ToneCount(1000);
        RecordingListener cEvents = new RecordingListener().onIncoming(call -> {
            call.setSource(new SineSource(600, 8000));
            call.setSink(cHears1k);
            call.answer();
        });
        UserAgent a = phones.start("alice", aEvents);
        UserAgent b = phones.start("bob", bEvents);
        UserAgent c = phones.start("carol", cEvents);

        ToneCount aHears600 = new ToneCount(600);
        Call aToB = a.call(Phones.uriOf(b));
        aToB.setSource(new SineSource(1000, 8000));
        aToB.setSink(aHears600);
        Call bFromA = next(bEvents.incoming, "bob rings");
        bEvents.awaitState(bFromA, CallState.CONNECTED);
        aEvents.awaitState(aToB, CallState.CONNECTED);

        bFromA.transfer(Phones.uriOf(c));

        Call aToC = next(aEvents.replacements, "alice's call to carol");
        Call cFromA = next(cEvents.incoming, "carol rings");
        assertThat(cFromA.remoteUri()).contains("alice");
        aEvents.awaitState(aToC, CallState.CONNECTED);

        // bob hears the transfer succeed and leaves; alice's first call ends.
        assertThat(awaitProgress(bEvents, 200)).isTrue();
        bEvents.awaitState(bFromA, CallState.ENDED);
        Await.until("alice's call to bob ends", AUDIO, () -> aToB.state() == CallState.ENDED);

        Await.until("carol hears alice's 1 kHz", AUDIO, () -> cHears1k.toneFrames() > 25);
        Await.until("alice hears carol's 600 Hz", AUDIO, () -> aHears600.toneFrames() > 25);
        assertThat(b.calls()).isEmpty();
        assertThat(a.calls()).containsExactly(aToC);
    }

    @Test
    void aFailedTransferIsReportedAndTheOriginalCallStays() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        RecordingListener bEvents = new RecordingListener().answering();
        RecordingListener cEvents = new RecordingListener().onIncoming(call -> call.reject(486));
        UserAgent a = phones.start("alice", aEvents);
        UserAgent b = phones.start("bob", bEvents);
        UserAgent c = phones.start("carol", cEvents);

        Call aToB = a.call(Phones.uriOf(b));
        Call bFromA = next(bEvents.incoming, "bob rings");
        aEvents.awaitState(aToB, CallState.CONNECTED);
        bEvents.awaitState(bFromA, CallState.CONNECTED);

        bFromA.transfer(Phones.uriOf(c));

        // RFC 3515 §2.4.5: the NOTIFY carries carol's final answer; bob keeps alice.
        assertThat(awaitProgress(bEvents, 200)).isFalse();
        Call aToC = next(aEvents.replacements, "alice's attempt to call carol");
        aEvents.awaitState(aToC, CallState.ENDED);
        assertThat(aToC.endStatus()).isEqualTo(486);
        assertThat(bFromA.state()).isEqualTo(CallState.CONNECTED);
        assertThat(aToB.state()).isEqualTo(CallState.CONNECTED);
        bFromA.hangup();
        aEvents.awaitState(aToB, CallState.ENDED);
    }

    private static boolean awaitProgress(RecordingListener events, int status) throws InterruptedException {
        while (true) {
            int s = next(events.transferProgress, "transfer progress " + status);
            if (s == status) {
                return true;
            }
            if (s >= 300) {
                return false;
            }
        }
    }
}
