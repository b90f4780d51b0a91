package io.tandem.agent.ui.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.audio.SwitchableAudio;
import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.SipTransport;
import io.tandem.agent.engine.SrtpUse;
import io.tandem.agent.session.AgentSession;
import io.tandem.agent.settings.SettingsStore;
import io.tandem.agent.ui.FxBackground;
import io.tandem.agent.ui.settings.SettingsViewModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection settings reached from the sign-in screen, before any sign-in: the same view model as Settings, and
 * the sign-in after them starts its phone with what they saved. The store is a properties file in a temporary
 * directory (no network, no process); the phone is never started: the session factory records the connection it
 * was asked for and refuses, which the sign-in shows as it would a phone that cannot start.
 */
class LoginViewModelTest {
    @TempDir
    Path config;

    private SettingsStore store;
    private final List<SipSecurity> started = new ArrayList<>();
    private LoginViewModel vm;

    @BeforeEach
    void freshProfile() {
        store = new SettingsStore(config);
        vm = new LoginViewModel(new FxBackground(Runnable::run), store,
                () -> new SettingsViewModel(store, new SwitchableAudio(FileAudio.silent()), false),
                this::noPhone, (session, login) -> {
                    throw new AssertionError("no sign-in can succeed here");
                });
        vm.backendUrlProperty().set("http://127.0.0.1:8080");
        vm.tenantProperty().set("demo");
        vm.agentIdProperty().set("1001");
        vm.passwordProperty().set("secret");
    }

    private AgentSession noPhone(SipSecurity security) {
        started.add(security);
        throw new IllegalStateException("no phone in this test");
    }

    @Test
    void aFreshProfileSetsUpTlsBeforeItsFirstSignInAndThatSignInStartsThePhoneOverTls() {
        assertThat(vm.connectionProperty().get()).isEqualTo("SIP over UDP");

        SettingsViewModel connection = vm.connectionSettings();
        connection.transportProperty().set("TLS");
        connection.tlsPortProperty().set("5062");
        connection.srtpProperty().set("Mandatory");
        assertThat(connection.saveConnection()).isTrue();
        vm.connectionSettingsClosed();
        assertThat(vm.connectionProperty().get())
                .isEqualTo("SIP over TLS to port 5062, trusting the system's CAs, SRTP mandatory");

        vm.logIn();
        assertThat(started).containsExactly(new SipSecurity(SipTransport.TLS, 5062, null, SrtpUse.MANDATORY));
        assertThat(vm.messageProperty().get()).isEqualTo("Could not start the phone: no phone in this test");
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.passwordProperty().get()).as("kept for another try").isEqualTo("secret");
    }

    @Test
    void aConnectionTheChecksRefuseIsNotSavedAndTheSignInStaysOnWhatWasSaved() {
        SettingsViewModel connection = vm.connectionSettings();
        connection.srtpProperty().set("Mandatory"); // SRTP without TLS
        assertThat(connection.saveConnection()).isFalse();
        assertThat(connection.connectionMessageProperty().get()).contains("SRTP needs the TLS transport");
        vm.connectionSettingsClosed();
        assertThat(vm.connectionProperty().get()).isEqualTo("SIP over UDP");

        vm.logIn();
        assertThat(started).containsExactly(SipSecurity.plain());
    }

    @Test
    void theConnectionSettingsOpenOnWhatIsSavedNow() {
        SettingsViewModel first = vm.connectionSettings();
        first.transportProperty().set("TCP");
        assertThat(first.saveConnection()).isTrue();

        SettingsViewModel again = vm.connectionSettings();
        assertThat(again.transportProperty().get()).isEqualTo("TCP");
    }
}
