package io.tandem.agent.ui.login;

import io.tandem.agent.api.AgentApi;
import io.tandem.agent.api.ApiException;
import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.session.AgentSession;
import io.tandem.agent.session.LoginRequest;
import io.tandem.agent.settings.PhoneSettings;
import io.tandem.agent.settings.SettingsStore;
import io.tandem.agent.ui.FxBackground;
import io.tandem.agent.ui.settings.SettingsViewModel;
import io.tandem.protocol.AgentLogin;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login: backend URL, tenant, agent id, password → a logged-in {@link AgentSession}. Checks what it can locally
 * (empty fields, a URL that is not http), then logs in in the background and turns every failure into a sentence
 * and the field to look at. The URL, tenant and agent id are remembered; the password never is. The connection
 * settings (transport, TLS trust, SRTP) can be set before signing in, with the same view model as Settings: an agent
 * whose nodes speak only TLS could not sign in otherwise. Every sign-in starts its phone with the connection saved then.
 */
public final class LoginViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(LoginViewModel.class);

    /** The field a message is about, so the view can mark it. */
    public enum Field { NONE, URL, TENANT, AGENT, PASSWORD }

    private final StringProperty backendUrl = new SimpleStringProperty("");
    private final StringProperty tenant = new SimpleStringProperty("");
    private final StringProperty agentId = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    /** The connection the next sign-in uses, in words. */
    private final StringProperty connection = new SimpleStringProperty("");
    private final ObjectProperty<Field> problemField = new SimpleObjectProperty<>(Field.NONE);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanBinding canLogIn;

    private final FxBackground background;
    private final SettingsStore store;
    private final Supplier<SettingsViewModel> connectionSettings;
    private final Function<SipSecurity, AgentSession> sessions;
    private final BiConsumer<AgentSession, AgentLogin> onLoggedIn;

    /**
     * @param connectionSettings the settings' view model over what is saved now, for the connection settings
     * @param sessions           a session whose phone speaks the given connection
     */
    public LoginViewModel(FxBackground background, SettingsStore store, Supplier<SettingsViewModel> connectionSettings,
                          Function<SipSecurity, AgentSession> sessions,
                          BiConsumer<AgentSession, AgentLogin> onLoggedIn) {
        this.background = background;
        this.store = store;
        this.connectionSettings = connectionSettings;
        this.sessions = sessions;
        this.onLoggedIn = onLoggedIn;
        PhoneSettings saved = store.load();
        backendUrl.set(saved.backendUrl());
        tenant.set(saved.tenant());
        agentId.set(saved.agentId());
        connection.set(SettingsViewModel.describe(saved.security()));
        canLogIn = busy.not().and(Bindings.isNotEmpty(agentId)).and(Bindings.isNotEmpty(password));
    }

    public void logIn() {
        if (busy.get()) {
            return;
        }
        String url = backendUrl.get().strip();
        String agent = agentId.get().strip();
        if (!check(url, agent)) {
            return;
        }
        AgentSession session;
        try {
            // The transport, trust and SRTP saved in the connection settings apply from this sign-in.
            session = sessions.apply(store.load().security());
        } catch (RuntimeException e) {
            LOG.warn("cannot start the phone for {}", agent, e);
            show(e);
            return;
        }
        char[] secret = password.get().toCharArray();
        LoginRequest request = new LoginRequest(url, tenant.get().strip(), agent, secret);
        busy.set(true);
        message.set("Logging in to " + url + "…");
        problemField.set(Field.NONE);
        background.run(() -> session.open(request), login -> {
            Arrays.fill(secret, '\0');
            busy.set(false);
            message.set("");
            password.set("");
            store.save(store.load().withLogin(url, tenant.get().strip(), agent));
            onLoggedIn.accept(session, login);
        }, failure -> {
            Arrays.fill(secret, '\0');
            busy.set(false);
            background.run(() -> {
                session.close(); // releases the SIP ports if the engine got that far
                return null;
            }, ignored -> { }, ignored -> { });
            show(failure);
        });
    }

    /** The connection settings to edit before signing in: the settings' view model over what is saved now. */
    public SettingsViewModel connectionSettings() {
        return connectionSettings.get();
    }

    /** The connection settings were closed: says again which connection the next sign-in uses. */
    public void connectionSettingsClosed() {
        connection.set(SettingsViewModel.describe(store.load().security()));
    }

    private boolean check(String url, String agent) {
        try {
            AgentApi.parse(url);
        } catch (ApiException e) {
            problem(Field.URL, e.getMessage());
            return false;
        }
        if (agent.isEmpty()) {
            problem(Field.AGENT, "Enter your agent id (your extension, e.g. 1001)");
            return false;
        }
        if (password.get().isEmpty()) {
            problem(Field.PASSWORD, "Enter your password");
            return false;
        }
        return true;
    }

    private void show(Exception failure) {
        if (failure instanceof ApiException api) {
            Field field = switch (api.kind()) {
                case BAD_URL, UNREACHABLE, NOT_SUPPORTED -> Field.URL;
                case WRONG_CREDENTIALS, FORBIDDEN -> Field.PASSWORD;
                case REFUSED -> Field.NONE;
            };
            problem(field, api.getMessage());
        } else {
            problem(Field.NONE, "Could not start the phone: " + failure.getMessage());
        }
    }

    private void problem(Field field, String text) {
        problemField.set(field);
        message.set(text);
    }

    public StringProperty backendUrlProperty() {
        return backendUrl;
    }

    public StringProperty tenantProperty() {
        return tenant;
    }

    public StringProperty agentIdProperty() {
        return agentId;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty messageProperty() {
        return message;
    }

    /** The connection the next sign-in uses, in words ("SIP over UDP"). */
    public StringProperty connectionProperty() {
        return connection;
    }

    public ObjectProperty<Field> problemFieldProperty() {
        return problemField;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public BooleanBinding canLogInProperty() {
        return canLogIn;
    }
}
