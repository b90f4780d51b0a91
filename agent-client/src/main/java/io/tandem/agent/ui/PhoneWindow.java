package io.tandem.agent.ui;

import io.tandem.agent.audio.Ringer;
import io.tandem.agent.audio.SwitchableAudio;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.PhoneEngines;
import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.session.AgentSession;
import io.tandem.agent.settings.SettingsStore;
import io.tandem.agent.ui.login.LoginView;
import io.tandem.agent.ui.login.LoginViewModel;
import io.tandem.agent.ui.settings.SettingsViewModel;
import io.tandem.protocol.AgentLogin;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * Puts the window together (the composition root): login first, the main view once logged in, back to login on
 * logout. Tests build it with file audio and their own settings directory; {@link PhoneApp} with the headset.
 */
public final class PhoneWindow {
    public static final double WIDTH = 1060;
    public static final double HEIGHT = 760;

    private final Stage stage;
    private final SwitchableAudio audio;
    private final boolean devices;
    private final EngineSettings engineSettings;
    private final PhoneEngines engines;
    private final Clock clock;
    private final SettingsStore store;
    private final FxBackground background = new FxBackground(Platform::runLater);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "phone-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final Timeline ticker;
    private final Scene scene;
    private MainViewModel main;
    private AgentSession session;

    /** With the engine {@link PhoneEngines#fromSystemProperty()} chooses ({@code ./tandem phone --engine}). */
    public PhoneWindow(Stage stage, SwitchableAudio audio, boolean devices, EngineSettings engineSettings,
                       Clock clock, SettingsStore store) {
        this(stage, audio, devices, engineSettings, PhoneEngines.fromSystemProperty(), clock, store);
    }

    public PhoneWindow(Stage stage, SwitchableAudio audio, boolean devices, EngineSettings engineSettings,
                       PhoneEngines engines, Clock clock, SettingsStore store) {
        this.engines = engines;
        this.stage = stage;
        this.audio = audio;
        this.devices = devices;
        this.engineSettings = engineSettings;
        this.clock = clock;
        this.store = store;
        this.scene = new Scene(new javafx.scene.layout.StackPane(), WIDTH, HEIGHT);
        scene.getStylesheets().add(PhoneWindow.class.getResource("tandem-phone.css").toExternalForm());
        this.ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> {
            if (main != null) {
                main.tick();
            }
        }));
        ticker.setCycleCount(Timeline.INDEFINITE);
        stage.setTitle("Tandem — Agent");
        stage.setMinWidth(900);
        stage.setMinHeight(620);
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> shutdown());
        showLogin();
        ticker.play();
    }

    /** A session whose phone speaks {@code security}: what Settings or the sign-in's connection settings saved. */
    private AgentSession newSession(SipSecurity security) {
        PhoneEngine engine = engines.create(engineSettings.withSecurity(security), audio, clock);
        SettingsViewModel settings = settingsViewModel();
        main = new MainViewModel(background, clock, new Ringer(audio), settings, this::logOut);
        return new AgentSession(engine, scheduler, Platform::runLater, clock, main);
    }

    private SettingsViewModel settingsViewModel() {
        return new SettingsViewModel(store, audio, devices);
    }

    private void showLogin() {
        LoginViewModel vm = new LoginViewModel(background, store, this::settingsViewModel, this::newSession,
                this::loggedIn);
        scene.setRoot(new LoginView(vm));
        stage.setTitle("Tandem — Sign in");
    }

    private void loggedIn(AgentSession newSession, AgentLogin login) {
        session = newSession;
        main.attach(newSession, login);
        scene.setRoot(new MainView(main));
        stage.setTitle("Tandem — " + login.agentId() + "@" + login.tenant());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F2), () -> main.offer().answer());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F4), () -> main.hangUpOrDecline());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F6), () -> main.call().toggleMute());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F7), () -> main.call().toggleHold());
    }

    private void logOut() {
        AgentSession ending = session;
        session = null;
        scene.getAccelerators().clear();
        showLogin();
        if (ending != null) {
            background.run(() -> {
                ending.close();
                return null;
            }, ignored -> { }, ignored -> { });
        }
    }

    /** The main view model once logged in (tests drive and inspect it), else null. */
    public MainViewModel main() {
        return session == null ? null : main;
    }

    public AgentSession session() {
        return session;
    }

    public Scene scene() {
        return scene;
    }

    /** Closes the session (logout, unregister) and the background threads. */
    public void shutdown() {
        ticker.stop();
        AgentSession ending = session;
        session = null;
        if (ending != null) {
            ending.close();
        }
        background.close();
        scheduler.shutdownNow();
    }
}
