package io.tandem.backend.node.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.sip.OutgoingBranch.State;
import io.tandem.backend.node.sip.OutgoingBranch.Step;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** The client side of an INVITE, every transition, without a SIP stack: what the branch sends is recorded. */
class OutgoingBranchTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSender sender = new RecordingSender();
    private final NodeMetrics metrics = new NodeMetrics(registry);
    private final OutgoingBranch branch = new OutgoingBranch("b1@tandem", sender, metrics);
    private final Request invite = stub(Request.class);

    @Test
    void ringsThenAnswersAndKeepsTheAckForRetransmissions() {
        assertThat(branch.state()).isEqualTo(State.IDLE);
        assertThat(branch.send(invite)).isTrue();
        assertThat(branch.state()).isEqualTo(State.CALLING);
        assertThat(branch.dialog()).isSameAs(sender.earlyDialog);

        assertThat(branch.onResponse(sender.tx, null, 100, 1)).isEqualTo(Step.PROVISIONAL);
        assertThat(branch.onResponse(sender.tx, null, 180, 1)).isEqualTo(Step.PROVISIONAL);
        assertThat(branch.state()).isEqualTo(State.EARLY);

        Dialog confirmed = stub(Dialog.class);
        assertThat(branch.onResponse(sender.tx, confirmed, 200, 1)).isEqualTo(Step.ANSWERED);
        assertThat(branch.state()).isEqualTo(State.ANSWERED);
        assertThat(branch.finalStatus()).isEqualTo(200);
        assertThat(branch.dialog()).isSameAs(confirmed);
        assertThat(sender.sent).containsExactly("INVITE", "ACK 1");

        // RFC 3261 §13.2.2.4: the 2xx again, inside or after its transaction: the same ACK, nothing else happens
        assertThat(branch.onResponse(null, null, 200, 1)).isEqualTo(Step.NONE);
        assertThat(branch.onResponse(sender.tx, confirmed, 200, 1)).isEqualTo(Step.NONE);
        assertThat(sender.sent).containsExactly("INVITE", "ACK 1", "ACK again", "ACK again");
        assertThat(sender.resentAcks).allMatch(ack -> ack == sender.lastAck);

        // a 2xx of another CSeq (a re-INVITE's) is not this ACK's to answer
        assertThat(branch.onResponse(null, null, 200, 2)).isEqualTo(Step.NONE);
        assertThat(sender.sent).hasSize(4);

        branch.hangUp();
        assertThat(sender.sent).endsWith("BYE");
    }

    @Test
    void aCancelBeforeAnyProvisionalResponseWaitsForOne() {
        branch.send(invite);
        branch.cancel();
        assertThat(sender.sent).containsExactly("INVITE"); // RFC 3261 §9.1: not before a 1xx
        assertThat(branch.state()).isEqualTo(State.CALLING);

        assertThat(branch.onResponse(sender.tx, null, 180, 1)).isEqualTo(Step.NONE);
        assertThat(sender.sent).containsExactly("INVITE", "CANCEL");
        assertThat(branch.onResponse(sender.tx, null, 183, 1)).isEqualTo(Step.NONE);
        assertThat(sender.sent).containsExactly("INVITE", "CANCEL"); // once

        assertThat(branch.onResponse(sender.tx, null, 487, 1)).isEqualTo(Step.ENDED);
        assertThat(branch.state()).isEqualTo(State.CANCELLED);
        assertThat(branch.finalStatus()).isEqualTo(487);
    }

    @Test
    void aCancelAfterAProvisionalResponseGoesAtOnce() {
        branch.send(invite);
        branch.onResponse(sender.tx, null, 180, 1);
        branch.cancel();
        branch.cancel();
        assertThat(sender.sent).containsExactly("INVITE", "CANCEL");
        assertThat(branch.cancelled()).isTrue();
        assertThat(branch.onResponse(sender.tx, null, 487, 1)).isEqualTo(Step.ENDED);
        assertThat(branch.state()).isEqualTo(State.CANCELLED);
    }

    @Test
    void anAnswerThatCrossedOurCancelIsAckedAndEnded() {
        branch.send(invite);
        branch.onResponse(sender.tx, null, 180, 1);
        branch.cancel();
        Dialog confirmed = stub(Dialog.class);
        assertThat(branch.onResponse(sender.tx, confirmed, 200, 1)).isEqualTo(Step.ENDED);
        assertThat(branch.state()).isEqualTo(State.CANCELLED);
        assertThat(sender.sent).containsExactly("INVITE", "CANCEL", "ACK 1", "BYE");
        assertThat(sender.byeDialogs).containsExactly(confirmed);
        // a later 487 to the INVITE (the CANCEL's answer order is not ours) changes nothing
        assertThat(branch.onResponse(sender.tx, null, 487, 1)).isEqualTo(Step.NONE);
        assertThat(branch.finalStatus()).isEqualTo(200);
    }

    @Test
    void anAnswerToACancelStillHeldBackIsAckedAndEndedWithoutACancel() {
        branch.send(invite);
        branch.cancel();
        assertThat(branch.onResponse(sender.tx, null, 200, 1)).isEqualTo(Step.ENDED);
        assertThat(sender.sent).containsExactly("INVITE", "ACK 1", "BYE");
    }

    @Test
    void theFirstFinalResponseIsTheOnlyOutcome() {
        branch.send(invite);
        assertThat(branch.onResponse(sender.tx, null, 486, 1)).isEqualTo(Step.ENDED);
        assertThat(branch.state()).isEqualTo(State.FAILED);
        assertThat(branch.finalStatus()).isEqualTo(486);
        assertThat(branch.onResponse(sender.tx, null, 603, 1)).isEqualTo(Step.NONE);
        assertThat(branch.onResponse(sender.tx, null, 180, 1)).isEqualTo(Step.NONE);
        assertThat(branch.onTimeout(sender.tx)).isEqualTo(Step.NONE);
        branch.cancel();
        assertThat(branch.finalStatus()).isEqualTo(486);
        assertThat(sender.sent).containsExactly("INVITE");
    }

    @Test
    void responsesOfAnotherTransactionAreNotThisBranchs() {
        branch.send(invite);
        ClientTransaction other = stub(ClientTransaction.class);
        assertThat(branch.onResponse(other, null, 200, 1)).isEqualTo(Step.NONE);
        assertThat(branch.onTimeout(other)).isEqualTo(Step.NONE);
        assertThat(branch.state()).isEqualTo(State.CALLING);
        assertThat(sender.sent).containsExactly("INVITE");
    }

    @Test
    void timerBEndsTheBranchWith408() {
        branch.send(invite);
        assertThat(branch.onTimeout(sender.tx)).isEqualTo(Step.ENDED);
        assertThat(branch.state()).isEqualTo(State.FAILED);
        assertThat(branch.finalStatus()).isEqualTo(408);
    }

    @Test
    void aTimeoutAfterOurHeldBackCancelEndsItCancelled() {
        branch.send(invite);
        branch.cancel();
        assertThat(branch.onTimeout(sender.tx)).isEqualTo(Step.ENDED);
        assertThat(branch.state()).isEqualTo(State.CANCELLED);
    }

    @Test
    void aBranchCancelledBeforeItWasSentSendsNothing() {
        branch.cancel();
        assertThat(branch.state()).isEqualTo(State.CANCELLED);
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void anInviteThatCannotBeSentFailsWith503AndIsCounted() {
        sender.failing.add("INVITE");
        assertThat(branch.send(invite)).isFalse();
        assertThat(branch.state()).isEqualTo(State.FAILED);
        assertThat(branch.finalStatus()).isEqualTo(503);
        assertThat(failures("invite")).isEqualTo(1.0);
    }

    @Test
    void everyOtherSendThatFailsIsCountedByWhatItWas() {
        sender.failing.addAll(Set.of("CANCEL", "ACK", "BYE"));
        branch.send(invite);
        branch.onResponse(sender.tx, null, 180, 1);
        branch.cancel();
        assertThat(failures("cancel")).isEqualTo(1.0);

        OutgoingBranch answered = new OutgoingBranch("b2@tandem", sender, metrics);
        answered.send(invite);
        assertThat(answered.onResponse(sender.tx, null, 200, 1)).isEqualTo(Step.ANSWERED);
        assertThat(failures("ack")).isEqualTo(1.0);
        answered.bye();
        assertThat(failures("bye")).isEqualTo(1.0);
        // no ACK was kept, so a retransmitted 2xx has nothing to resend (and fails nothing more)
        answered.onResponse(null, null, 200, 1);
        assertThat(failures("ack")).isEqualTo(1.0);
    }

    private double failures(String reason) {
        var counter = registry.find("tandem.sip.send.failures").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Records what the branch sends; a stand-in transaction, dialog and ACK are all the branch can tell apart. */
    private static final class RecordingSender implements BranchSender {
        final List<String> sent = new ArrayList<>();
        final Set<String> failing = new HashSet<>();
        final List<Request> resentAcks = new ArrayList<>();
        final List<Dialog> byeDialogs = new ArrayList<>();
        ClientTransaction tx;
        Dialog earlyDialog;
        Request lastAck;

        private void send(String what) throws SipException {
            if (failing.contains(what)) {
                throw new SipException("transport refused " + what);
            }
        }

        @Override
        public Sent invite(Request invite) throws SipException {
            send("INVITE");
            sent.add("INVITE");
            tx = stub(ClientTransaction.class);
            earlyDialog = stub(Dialog.class);
            return new Sent(tx, earlyDialog);
        }

        @Override
        public Request ack(Dialog dialog, long cseq) throws SipException {
            send("ACK");
            sent.add("ACK " + cseq);
            lastAck = stub(Request.class);
            return lastAck;
        }

        @Override
        public void resendAck(Dialog dialog, Request ack) throws SipException {
            send("ACK");
            sent.add("ACK again");
            resentAcks.add(ack);
        }

        @Override
        public void cancel(ClientTransaction invite) throws SipException {
            send("CANCEL");
            sent.add("CANCEL");
        }

        @Override
        public void bye(Dialog dialog) throws SipException {
            send("BYE");
            sent.add("BYE");
            byeDialogs.add(dialog);
        }
    }

    /** An object of a JAIN-SIP interface that is only compared by identity. */
    private static <T> T stub(Class<T> type) {
        Object stub = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> type.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(proxy));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return type.cast(stub);
    }
}
