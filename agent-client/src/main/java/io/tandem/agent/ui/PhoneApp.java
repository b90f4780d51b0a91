package io.tandem.agent.ui;

import io.tandem.agent.audio.SoundCardAudio;
import io.tandem.agent.audio.SwitchableAudio;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.settings.PhoneSettings;
import io.tandem.agent.settings.SettingsStore;
import java.time.Clock;
import javafx.application.Application;
import javafx.stage.Stage;

/** The softphone window with the headset devices chosen in settings. */
public final class PhoneApp extends Application {
    private PhoneWindow window;

    public static void launchWindow(String[] args) {
        Application.launch(PhoneApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        SettingsStore store = SettingsStore.forUser();
        PhoneSettings settings = store.load();
        SwitchableAudio audio = new SwitchableAudio(new SoundCardAudio(settings.microphone(), settings.speaker()));
        window = new PhoneWindow(stage, audio, true, EngineSettings.defaults(), Clock.systemUTC(), store);
        stage.show();
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
    }
}
