package io.tandem.agent.ui.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.agent.ui.FxBackground;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StateViewModelTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final StateViewModel vm = new StateViewModel(new FxBackground(Runnable::run), clock, () -> { });

    private static AgentStatus status(AgentState state, String reason, Instant wrapUpUntil) {
        return new AgentStatus("1001", state, reason, 1, Instant.EPOCH, wrapUpUntil, null, "n1", List.of());
    }

    @Test
    void wrapUpCountsDownOnTheInjectedClockAndEndsWithTheState() {
        vm.onStatus(status(AgentState.WRAP_UP, "", now.get().plusSeconds(30)));
        assertThat(vm.inWrapUpProperty().get()).isTrue();
        assertThat(vm.wrapUpSecondsLeftProperty().get()).isEqualTo(30);
        now.set(now.get().plus(Duration.ofSeconds(12)));
        vm.tick();
        assertThat(vm.wrapUpSecondsLeftProperty().get()).isEqualTo(18);
        now.set(now.get().plus(Duration.ofSeconds(60)));
        vm.tick();
        assertThat(vm.wrapUpSecondsLeftProperty().get()).isZero();
        vm.onStatus(status(AgentState.AVAILABLE, "", null));
        assertThat(vm.inWrapUpProperty().get()).isFalse();
        assertThat(vm.stateTextProperty().get()).isEqualTo("Available");
    }

    @Test
    void theSelectorOffersTheTenantsReasonsAndFollowsTheState() {
        vm.attach(null, List.of("Break", "Lunch"));
        assertThat(vm.choices()).containsExactly("Available", "Not ready — Break", "Not ready — Lunch", "Log out");
        vm.onStatus(status(AgentState.NOT_READY, "Lunch", null));
        assertThat(vm.selectedProperty().get()).isEqualTo("Not ready — Lunch");
        assertThat(vm.stateTextProperty().get()).isEqualTo("Not ready · Lunch");
    }

    @Test
    void connectionPillsSayWhichNodeAndWhetherSipAndEventsAreUp() {
        vm.onRegistration(new RegistrationStatus(RegistrationStatus.Phase.REGISTERED, "sip:10.0.0.2:5060", 200));
        assertThat(vm.sipTextProperty().get()).isEqualTo("SIP registered · 10.0.0.2:5060");
        assertThat(vm.sipUpProperty().get()).isTrue();
        vm.onRegistration(new RegistrationStatus(RegistrationStatus.Phase.FAILED, "sip:10.0.0.2:5060", 403));
        assertThat(vm.sipTextProperty().get()).isEqualTo("SIP refused (403) · 10.0.0.2:5060");
        vm.onSocket(false, "http://10.0.0.2:8080");
        assertThat(vm.socketTextProperty().get()).isEqualTo("Events reconnecting…");
        assertThat(vm.socketUpProperty().get()).isFalse();
    }

    @Test
    void theSipPillNamesATlsNodeAndATlsFailureInWords() {
        vm.onRegistration(new RegistrationStatus(RegistrationStatus.Phase.REGISTERED,
                "sip:10.0.0.1:5061;transport=tls", 200));
        assertThat(vm.sipTextProperty().get()).isEqualTo("SIP registered · 10.0.0.1:5061 (TLS)");
        vm.onRegistration(new RegistrationStatus(RegistrationStatus.Phase.FAILED, "sip:10.0.0.1:5061;transport=tls",
                503, "TLS to 10.0.0.1:5061 failed: the node's certificate is not trusted"));
        assertThat(vm.sipTextProperty().get())
                .isEqualTo("SIP failed: TLS to 10.0.0.1:5061 failed: the node's certificate is not trusted");
        vm.onRegistration(new RegistrationStatus(RegistrationStatus.Phase.FAILED, "sip:10.0.0.1:5060", 403));
        assertThat(vm.sipTextProperty().get()).isEqualTo("SIP refused (403) · 10.0.0.1:5060");
    }
}
