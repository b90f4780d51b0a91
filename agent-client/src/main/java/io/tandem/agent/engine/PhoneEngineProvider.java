package io.tandem.agent.engine;

import io.tandem.agent.audio.AudioPath;
import java.time.Clock;

/**
 * An engine that is compiled only where its native part was built (the pjsua2 engine, {@code src/pjsua2}), found with
 * {@link java.util.ServiceLoader} so the rest of the phone compiles and runs without it.
 */
public interface PhoneEngineProvider {

    EngineKind kind();

    /** Null when the engine can run here (its native library loads), else why not, in one line. */
    String unavailableReason();

    PhoneEngine create(EngineSettings settings, AudioPath audio, Clock clock);
}
