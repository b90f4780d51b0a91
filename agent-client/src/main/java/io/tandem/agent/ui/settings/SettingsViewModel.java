package io.tandem.agent.ui.settings;

import io.tandem.agent.audio.AudioDevices;
import io.tandem.agent.audio.SoundCardAudio;
import io.tandem.agent.audio.SwitchableAudio;
import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.SipTransport;
import io.tandem.agent.engine.SrtpUse;
import io.tandem.agent.engine.TrustedCertificates;
import io.tandem.agent.settings.PhoneSettings;
import io.tandem.agent.settings.SecuritySettings;
import io.tandem.agent.settings.SettingsStore;
import java.util.Arrays;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Settings: microphone and speaker (system default or a named device), auto-answer, ringtone, saved at once, the
 * devices applying from the next call (in file mode, tests and headless, the devices are left alone); and the
 * connection: SIP transport, the nodes' TLS port, the certificate file TLS trusts, SRTP. The connection is checked
 * when saved (a bad value is named and nothing of it is saved) and applies from the next sign-in.
 */
public final class SettingsViewModel {
    public static final String SYSTEM_DEFAULT = "System default";
    /** The connection field a refused value was typed in, for {@link #invalidFieldProperty()}. */
    public static final String FIELD_TRANSPORT = "transport";
    public static final String FIELD_TLS_PORT = "tls-port";
    public static final String FIELD_TRUST = "trust";
    public static final String FIELD_SRTP = "srtp";

    private final ObservableList<String> microphones = FXCollections.observableArrayList();
    private final ObservableList<String> speakers = FXCollections.observableArrayList();
    private final StringProperty microphone = new SimpleStringProperty(SYSTEM_DEFAULT);
    private final StringProperty speaker = new SimpleStringProperty(SYSTEM_DEFAULT);
    private final BooleanProperty autoAnswer = new SimpleBooleanProperty(false);
    private final BooleanProperty ringtone = new SimpleBooleanProperty(true);
    private final StringProperty audioDescription = new SimpleStringProperty("");
    /** Shown as "UDP", "TCP", "TLS" and "Off", "Optional", "Mandatory"; read back in any case. */
    private final ObservableList<String> transports = FXCollections.observableArrayList(
            Arrays.stream(SipTransport.values()).map(SipTransport::name).toList());
    private final ObservableList<String> srtpChoices = FXCollections.observableArrayList(
            Arrays.stream(SrtpUse.values()).map(SettingsViewModel::shown).toList());
    private final StringProperty transport = new SimpleStringProperty(SipTransport.UDP.name());
    private final StringProperty tlsPort = new SimpleStringProperty("");
    private final StringProperty trustedCertificates = new SimpleStringProperty("");
    private final StringProperty srtp = new SimpleStringProperty(shown(SrtpUse.OFF));
    private final BooleanProperty tls = new SimpleBooleanProperty(false);
    private final StringProperty connectionMessage = new SimpleStringProperty("");
    private final BooleanProperty connectionInvalid = new SimpleBooleanProperty(false);
    private final StringProperty invalidField = new SimpleStringProperty("");

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
        SipSecurity security = s.security();
        transport.set(security.transport().name());
        tlsPort.set(String.valueOf(security.tlsPort()));
        trustedCertificates.set(security.trustedCertificates() == null ? ""
                : security.trustedCertificates().toString());
        srtp.set(shown(security.srtp()));
        tls.bind(transport.isEqualTo(SipTransport.TLS.name()));
        connectionMessage.set(describe(security));
        autoAnswer.addListener((o, a, b) -> saveAudio());
        ringtone.addListener((o, a, b) -> saveAudio());
    }

    /** Lists the devices again (a headset plugged in after start). */
    public void refreshDevices() {
        microphones.setAll(SYSTEM_DEFAULT);
        microphones.addAll(AudioDevices.microphones());
        speakers.setAll(SYSTEM_DEFAULT);
        speakers.addAll(AudioDevices.speakers());
    }

    /** Saves the audio choices and, when it checks out, the connection; a bad connection value is named instead. */
    public void save() {
        saveAudio();
        saveConnection();
    }

    /**
     * The connection as typed, checked: the choices exist, the port is a port, SRTP only over TLS, the certificate
     * file holds PEM certificates. True when saved.
     */
    public boolean saveConnection() {
        SipSecurity security;
        String field = FIELD_TRANSPORT;
        try {
            SipTransport.parse(transport.get());
            field = FIELD_TLS_PORT;
            SecuritySettings.tlsPort(tlsPort.get());
            field = FIELD_SRTP;
            security = SecuritySettings.parse(transport.get(), tlsPort.get(), trustedCertificates.get(), srtp.get());
            field = FIELD_TRUST;
            if (security.tls() && security.trustedCertificates() != null) {
                String problem = TrustedCertificates.problem(security.trustedCertificates());
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
        } catch (IllegalArgumentException e) {
            invalidField.set(field);
            connectionInvalid.set(true);
            connectionMessage.set(e.getMessage());
            return false;
        }
        store.save(store.load().withSecurity(security));
        invalidField.set("");
        connectionInvalid.set(false);
        connectionMessage.set(describe(security) + " — applies from the next sign-in");
        return true;
    }

    private static String shown(SrtpUse use) {
        return use.name().charAt(0) + use.id().substring(1);
    }

    /** The connection in words: "SIP over TLS to port 5061, trusting node.pem, SRTP mandatory". */
    public static String describe(SipSecurity security) {
        String base = "SIP over " + security.transport().name();
        if (!security.tls()) {
            return base;
        }
        return base + " to port " + security.tlsPort() + ", trusting "
                + (security.trustedCertificates() == null ? "the system's CAs"
                : security.trustedCertificates().getFileName().toString())
                + ", SRTP " + security.srtp().id();
    }

    private void saveAudio() {
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

    public ObservableList<String> transports() {
        return transports;
    }

    public ObservableList<String> srtpChoices() {
        return srtpChoices;
    }

    public StringProperty transportProperty() {
        return transport;
    }

    public StringProperty tlsPortProperty() {
        return tlsPort;
    }

    public StringProperty trustedCertificatesProperty() {
        return trustedCertificates;
    }

    public StringProperty srtpProperty() {
        return srtp;
    }

    /** Whether TLS is chosen (the TLS port, certificate and SRTP fields matter only then). */
    public BooleanProperty tlsProperty() {
        return tls;
    }

    /** What the saved connection is, or why the typed one was not saved. */
    public StringProperty connectionMessageProperty() {
        return connectionMessage;
    }

    public BooleanProperty connectionInvalidProperty() {
        return connectionInvalid;
    }

    /** Which connection field ({@code FIELD_*}) holds the value last refused; empty when none. */
    public StringProperty invalidFieldProperty() {
        return invalidField;
    }
}
