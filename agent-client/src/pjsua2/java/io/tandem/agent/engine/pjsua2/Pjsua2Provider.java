package io.tandem.agent.engine.pjsua2;

import io.tandem.agent.audio.AudioPath;
import io.tandem.agent.engine.EngineKind;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.PhoneEngineProvider;
import java.time.Clock;

/** The pjsua2 engine for {@link io.tandem.agent.engine.PhoneEngines}, registered in META-INF/services. */
public final class Pjsua2Provider implements PhoneEngineProvider {

    @Override
    public EngineKind kind() {
        return EngineKind.PJSUA2;
    }

    @Override
    public String unavailableReason() {
        return Pjsua2Library.unavailableReason();
    }

    @Override
    public PhoneEngine create(EngineSettings settings, AudioPath audio, Clock clock) {
        return new Pjsua2PhoneEngine(settings, audio, clock);
    }
}
