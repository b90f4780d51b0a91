package io.tandem.telephony.sip;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** What an overloaded endpoint refuses (503, RFC 3261 §21.5.4) and what it always takes on. */
class AdmissionTest {

    private final Admission admission = new Admission(10, 800);

    private static Admission.Load load(int queued, int serverTransactions) {
        return new Admission.Load() {
            @Override
            public int queuedDatagrams() {
                return queued;
            }

            @Override
            public int serverTransactions() {
                return serverTransactions;
            }
        };
    }

    @Test
    void aNewCallOrRegistrationIsRefusedOnceTheWorkQueueIsPastItsLimit() {
        assertThat(admission.refuses(Request.INVITE, false, load(11, 0))).isTrue();
        assertThat(admission.refuses(Request.REGISTER, false, load(11, 0))).isTrue();
    }

    @Test
    void aQueueAtItsLimitStillTakesNewWork() {
        assertThat(admission.refuses(Request.INVITE, false, load(10, 0))).isFalse();
        assertThat(admission.refuses(Request.REGISTER, false, load(0, 799))).isFalse();
    }

    @Test
    void newWorkIsRefusedWhereTheStackWouldStartDroppingServerTransactions() {
        assertThat(admission.refuses(Request.INVITE, false, load(0, 800))).isTrue();
        assertThat(admission.refuses(Request.REGISTER, false, load(0, 5000))).isTrue();
    }

    @Test
    void requestsInsideADialogAreNeverRefused() {
        for (String method : new String[] {Request.BYE, Request.INVITE, Request.UPDATE, Request.INFO,
                Request.REFER, Request.NOTIFY, Request.ACK}) {
            assertThat(admission.refuses(method, true, load(1_000_000, 1_000_000))).as(method).isFalse();
        }
    }

    @Test
    void acknowledgementsCancelsAndOtherMethodsOutsideADialogAreTakenOn() {
        for (String method : new String[] {Request.ACK, Request.CANCEL, Request.BYE, Request.OPTIONS,
                Request.MESSAGE, Request.SUBSCRIBE}) {
            assertThat(admission.refuses(method, false, load(1_000_000, 1_000_000))).as(method).isFalse();
        }
    }

    @Test
    void aLimitOfZeroRefusesAsSoonAsAnythingWaits() {
        Admission strict = new Admission(0, 800);
        assertThat(strict.refuses(Request.INVITE, false, load(0, 0))).isFalse();
        assertThat(strict.refuses(Request.INVITE, false, load(1, 0))).isTrue();
    }
}
