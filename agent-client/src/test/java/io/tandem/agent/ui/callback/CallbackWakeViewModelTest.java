package io.tandem.agent.ui.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.CallbackWake;
import io.tandem.protocol.CallbackWakeEnded;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackWakeViewModelTest {

    /** Time that moves only when the test says so. */
    private static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private static final class JoinCall implements PhoneCall {
        final String uri;

        JoinCall(String uri) { this.uri = uri; }

        @Override public String id() { return "join-1"; }
        @Override public boolean incoming() { return false; }
        @Override public String remoteNumber() { return uri; }
        @Override public String remoteName() { return ""; }
        @Override public CallPhase phase() { return CallPhase.DIALLING; }
        @Override public Instant connectedAt() { return null; }
        @Override public boolean onHold() { return false; }
        @Override public boolean muted() { return false; }
        @Override public void answer() { }
        @Override public void decline() { }
        @Override public void hangUp() { }
        @Override public void hold() { }
        @Override public void resume() { }
        @Override public void setMuted(boolean muted) { }
        @Override public void sendDtmf(char digit) { }
        @Override public void transfer(String target) { }
    }

    private final FakeClock clock = new FakeClock();
    private final List<String> dialled = new ArrayList<>();
    private final List<String> joined = new ArrayList<>();
    private RuntimeException dialFailure;
    private final CallbackWakeViewModel vm = new CallbackWakeViewModel(clock, wake -> {
        if (dialFailure != null) {
            throw dialFailure;
        }
        dialled.add(wake.joinUri());
        return new JoinCall(wake.joinUri());
    }, (call, wake) -> joined.add(call.id() + " " + wake.room()));

    private static CallbackWake wake(String room, String name) {
        return new CallbackWake(room, "+4930123456", name, "7002", 83, "tok-" + room,
                "sip:join*tok-" + room + "@127.0.0.1:5060");
    }

    @Test
    void aNotReadyAgentSeesTheCallerWithTheWaitTicking() {
        vm.onAgentState(AgentState.NOT_READY);
        vm.onWake(wake("r-1", "Ada Caller"));

        assertThat(vm.showingProperty().get()).isTrue();
        assertThat(vm.callerNameProperty().get()).isEqualTo("Ada Caller");
        assertThat(vm.callerNumberProperty().get()).isEqualTo("+4930123456");
        assertThat(vm.queueProperty().get()).isEqualTo("7002");
        assertThat(vm.waitingProperty().get()).isEqualTo("waiting 1:23");

        clock.now = clock.now.plusSeconds(40);
        vm.tick();
        assertThat(vm.waitingProperty().get()).isEqualTo("waiting 2:03");
    }

    @Test
    void anAvailableAgentIsNotShownTheWakeUntilItIsNotReadyAgain() {
        vm.onAgentState(AgentState.AVAILABLE);
        vm.onWake(wake("r-1", "Ada"));
        assertThat(vm.showingProperty().get()).isFalse();

        vm.onAgentState(AgentState.LOGGED_OUT);
        assertThat(vm.showingProperty().get()).isTrue();
    }

    @Test
    void joinDialsTheRoomsJoinUriOnceAndTheCardGoes() {
        vm.onAgentState(AgentState.NOT_READY);
        vm.onWake(wake("r-1", "Ada"));

        vm.join();
        vm.join();

        assertThat(dialled).containsExactly("sip:join*tok-r-1@127.0.0.1:5060");
        assertThat(joined).containsExactly("join-1 r-1");
        assertThat(vm.showingProperty().get()).isFalse();
    }

    @Test
    void aPhoneThatCannotDialKeepsTheCardWithTheReason() {
        vm.onAgentState(AgentState.NOT_READY);
        vm.onWake(wake("r-1", "Ada"));
        dialFailure = new IllegalStateException("engine not started");

        vm.join();

        assertThat(vm.showingProperty().get()).isTrue();
        assertThat(vm.messageProperty().get()).isEqualTo("Could not join: engine not started");
        dialFailure = null;
        vm.join();
        assertThat(vm.messageProperty().get()).isEmpty();
        assertThat(dialled).hasSize(1);
    }

    @Test
    void theCardGoesWhenTheServiceEndsItsWakeAndTheNextWaitingCallerIsShown() {
        vm.onAgentState(AgentState.NOT_READY);
        vm.onWake(wake("r-1", "Ada"));
        vm.onWake(wake("r-2", "Bob"));
        assertThat(vm.callerNameProperty().get()).isEqualTo("Ada");

        vm.onWakeEnded(new CallbackWakeEnded("r-9"));
        assertThat(vm.callerNameProperty().get()).isEqualTo("Ada");
        vm.onWakeEnded(new CallbackWakeEnded("r-1"));
        assertThat(vm.callerNameProperty().get()).isEqualTo("Bob");
        vm.dismiss();
        assertThat(vm.showingProperty().get()).isFalse();
    }

    @Test
    void goingOnCallDropsEveryWake() {
        vm.onAgentState(AgentState.NOT_READY);
        vm.onWake(wake("r-1", "Ada"));

        vm.onAgentState(AgentState.ON_CALL);
        vm.onAgentState(AgentState.NOT_READY);

        assertThat(vm.showingProperty().get()).isFalse();
    }

    @Test
    void aHostileNameIsOneLineOfPlainTextOfASensibleLength() {
        vm.onAgentState(AgentState.NOT_READY);
        vm.onWake(wake("r-1", "<b>Eve</b>\n\u202Egnp.exe"));
        assertThat(vm.callerNameProperty().get()).isEqualTo("<b>Eve</b>  gnp.exe");

        assertThat(CallbackWakeViewModel.printable("x".repeat(500))).hasSize(60).endsWith("…");
        assertThat(CallbackWakeViewModel.printable(null)).isEmpty();
    }
}
