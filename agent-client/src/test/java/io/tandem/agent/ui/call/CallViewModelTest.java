package io.tandem.agent.ui.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.PhoneCall;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallViewModelTest {

    /** A call that only records what the view model asks of it. */
    static final class ScriptedCall implements PhoneCall {
        final List<String> actions = new ArrayList<>();
        CallPhase phase = CallPhase.CONNECTED;
        Instant connectedAt;

        @Override public String id() { return "c1"; }
        @Override public boolean incoming() { return true; }
        @Override public String remoteNumber() { return "5550100"; }
        @Override public String remoteName() { return ""; }
        @Override public CallPhase phase() { return phase; }
        @Override public Instant connectedAt() { return connectedAt; }
        @Override public boolean onHold() { return false; }
        @Override public boolean muted() { return false; }
        @Override public void answer() { actions.add("answer"); }
        @Override public void decline() { actions.add("decline"); }
        @Override public void hangUp() { actions.add("hangup"); }
        @Override public void hold() { actions.add("hold"); }
        @Override public void resume() { actions.add("resume"); }
        @Override public void setMuted(boolean muted) { actions.add("mute " + muted); }
        @Override public void sendDtmf(char digit) { actions.add("dtmf " + digit); }
        @Override public void transfer(String target) { actions.add("transfer " + target); }
    }

    @Test
    void timerHoldMuteDtmfTransferAndHangUp() {
        Instant start = Instant.parse("2026-11-29T10:00:00Z");
        ScriptedCall call = new ScriptedCall();
        call.connectedAt = start;
        CallViewModel vm = new CallViewModel(Clock.fixed(start.plusSeconds(3725), ZoneOffset.UTC));
        vm.show(call, "+49 151", "Anna", "Sales");
        vm.tick();
        assertThat(vm.timerProperty().get()).isEqualTo("1:02:05");
        assertThat(vm.phaseTextProperty().get()).isEqualTo("Connected");

        vm.toggleHold();
        vm.onHold(call, true);
        assertThat(vm.phaseTextProperty().get()).isEqualTo("On hold");
        vm.toggleHold();
        vm.toggleMute();
        vm.dtmf('5');
        vm.transferTargetProperty().set("12ab");
        vm.transfer();
        assertThat(vm.messageProperty().get()).startsWith("Numbers only");
        vm.transferTargetProperty().set(" 2001 ");
        vm.transfer();
        vm.onTransferResult(call, 486);
        assertThat(vm.messageProperty().get()).isEqualTo("Transfer failed (486): the call is still yours");
        vm.hangUp();
        assertThat(call.actions).containsExactly("hold", "resume", "mute true", "dtmf 5", "transfer 2001", "hangup");

        vm.onPhase(call, CallPhase.ENDED);
        assertThat(vm.activeProperty().get()).isFalse();
        assertThat(vm.hasCall()).isFalse();
    }
}
