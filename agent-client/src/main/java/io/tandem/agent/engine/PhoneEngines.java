package io.tandem.agent.engine;

import io.tandem.agent.audio.AudioPath;
import java.time.Clock;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the phone's engine: the one asked for ({@code ./tandem phone --engine}, the system property
 * {@value #PROPERTY}), else pjsua2 where its native library is present, else the Java engine with a one-line notice.
 */
public final class PhoneEngines {
    /** {@code pjsua2} or {@code java}; unset: pjsua2 when it can run here. */
    public static final String PROPERTY = "tandem.phone.engine";
    private static final Logger LOG = LoggerFactory.getLogger(PhoneEngines.class);

    private final EngineKind kind;
    private final PhoneEngineProvider provider;

    private PhoneEngines(EngineKind kind, PhoneEngineProvider provider) {
        this.kind = kind;
        this.provider = provider;
    }

    /** The engine named by {@value #PROPERTY}, or the default. */
    public static PhoneEngines fromSystemProperty() {
        String requested = System.getProperty(PROPERTY, "");
        return choose(requested.isBlank() ? null : EngineKind.parse(requested));
    }

    /**
     * {@code requested} (null: the default). Asking for pjsua2 where it cannot run is an error, not a silent fallback:
     * whoever asked for it wants to know.
     */
    public static PhoneEngines choose(EngineKind requested) {
        if (requested == EngineKind.JAVA) {
            return new PhoneEngines(EngineKind.JAVA, null);
        }
        Optional<PhoneEngineProvider> pjsua2 = provider(EngineKind.PJSUA2);
        String reason = pjsua2.isPresent() ? pjsua2.get().unavailableReason()
                : "not built (agent-client/src/native/build-pjsua2.sh)";
        if (reason == null) {
            return new PhoneEngines(EngineKind.PJSUA2, pjsua2.get());
        }
        if (requested == EngineKind.PJSUA2) {
            throw new IllegalStateException("the pjsua2 engine cannot run here: " + reason);
        }
        LOG.warn("pjsua2 engine unavailable ({}): using the Java engine", reason);
        return new PhoneEngines(EngineKind.JAVA, null);
    }

    /**
     * The provider of {@code kind} on the class path, if its classes were built. A registration whose class is missing
     * (a build without pjsua2 over one with it leaves the service file behind) counts as not built.
     */
    public static Optional<PhoneEngineProvider> provider(EngineKind kind) {
        try {
            return ServiceLoader.load(PhoneEngineProvider.class).stream().map(ServiceLoader.Provider::get)
                    .filter(p -> p.kind() == kind).findFirst();
        } catch (ServiceConfigurationError e) {
            LOG.warn("phone engines: {}", e.getMessage());
            return Optional.empty();
        }
    }

    public EngineKind kind() {
        return kind;
    }

    public PhoneEngine create(EngineSettings settings, AudioPath audio, Clock clock) {
        return provider == null ? new TelephonyPhoneEngine(settings, audio, clock) : provider.create(settings, audio, clock);
    }
}
