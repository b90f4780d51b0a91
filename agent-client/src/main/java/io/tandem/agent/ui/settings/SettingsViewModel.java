package io.tandem.agent.ui.settings;

import io.tandem.agent.audio.AudioDevices;
import io.tandem.agent.audio.SoundCardAudio;
import io.tandem.agent.audio.SwitchableAudio;
import io.tandem.agent.settings.PhoneSettings;
import io.tandem.agent.settings.SettingsStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Settings: microphone and speaker (system default or a named device), auto-answer, ringtone. Saved at once; the
 * devices apply from the next call. In file mode (tests, headless) the devices are left alone.
 */
public final class SettingsViewModel {
    public static final String SYSTEM_DEFAULT = "System default";

    private final ObservableList<String> microphones = FXCollections.observableArrayList();
    private final ObservableList<String> speakers = FXCollections.observableArrayList();
    private final StringProperty microphone = new SimpleStringProperty(SYSTEM_DEFAULT);
    private final StringProperty speaker = new SimpleStringProperty(SYSTEM_DEFAULT);
    private final BooleanProperty autoAnswer = new SimpleBooleanProperty(false);
    private final BooleanProperty ringtone = new SimpleBooleanProperty(true);
    private final StringProperty audioDescription = new SimpleStringProperty("");

    private final SettingsStore store;
    private final SwitchableAudio audio;
    private final boolean devices;

    public SettingsViewModel(SettingsStore store, SwitchableAudio audio, boolean devices) {
        this.store = store;
        this.audio = audio;
        this.devices = devices;
        PhoneSettings s = store.load();
        microphone.set(s.microphone().isEmpty() ? SYSTEM_DEFAULT : s.microphone());
        speaker.set(s.speaker().isEmpty() ? SYSTEM_DEFAULT : s.speaker());
        autoAnswer.set(s.autoAnswer());
        ringtone.set(s.ringtone());
        audioDescription.set(audio.describe());
        autoAnswer.addListener((o, a, b) -> save());
        ringtone.addListener((o, a, b) -> save());
    }

    /** Lists the devices again (a headset plugged in after start). */
    public void refreshDevices() {
        microphones.setAll(SYSTEM_DEFAULT);
        microphones.addAll(AudioDevices.microphones());
        speakers.setAll(SYSTEM_DEFAULT);
        speakers.addAll(AudioDevices.speakers());
    }

    public void save() {
        String mic = SYSTEM_DEFAULT.equals(microphone.get()) ? "" : microphone.get();
        String spk = SYSTEM_DEFAULT.equals(speaker.get()) ? "" : speaker.get();
        store.save(store.load().withAudio(mic, spk, autoAnswer.get(), ringtone.get()));
        if (devices) {
            audio.use(new SoundCardAudio(mic, spk));
        }
        audioDescription.set(audio.describe());
    }

    public ObservableList<String> microphones() {
        return microphones;
    }

    public ObservableList<String> speakers() {
        return speakers;
    }

    public StringProperty microphoneProperty() {
        return microphone;
    }

    public StringProperty speakerProperty() {
        return speaker;
    }

    public BooleanProperty autoAnswerProperty() {
        return autoAnswer;
    }

    public BooleanProperty ringtoneProperty() {
        return ringtone;
    }

    public StringProperty audioDescriptionProperty() {
        return audioDescription;
    }
}
