package io.tandem.agent.testing;

import io.tandem.agent.audio.AudioPath;
import io.tandem.agent.engine.EngineKind;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneEngine;
import io.tandem.agent.engine.PhoneEngineProvider;
import io.tandem.agent.engine.PhoneEngines;
import io.tandem.agent.engine.TelephonyPhoneEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engines the contract tests run against: the Java engine always, and pjsua2 whenever the build was given one
 * ({@code -Dpjsua2.home}, which {@code ./tandem test} passes after building it). Given one, pjsua2 must run: a
 * library that does not load fails the tests instead of skipping them.
 */
public final class Engines {
    /** Set by the build (the agent-client pom's pjsua2 profile) to the pjsua2 build directory. */
    private static final String PJSUA2_HOME = "tandem.pjsua2.home";
    /** Optional: only these engines ({@code -Dtandem.test.engines=pjsua2}), e.g. for a long run of one. */
    private static final String ONLY = "tandem.test.engines";

    private Engines() {
    }

    /** For {@code @MethodSource}: every engine this build covers. */
    public static List<EngineKind> all() {
        List<EngineKind> kinds = new ArrayList<>(List.of(EngineKind.JAVA));
        if (!System.getProperty(PJSUA2_HOME, "").isBlank()) {
            kinds.add(EngineKind.PJSUA2);
        }
        String only = System.getProperty(ONLY, "");
        if (!only.isBlank()) {
            List<EngineKind> wanted = Arrays.stream(only.split(",")).map(EngineKind::parse).toList();
            kinds.retainAll(wanted);
            if (kinds.isEmpty()) {
                throw new IllegalStateException(ONLY + "=" + only + " leaves no engine this build has");
            }
        }
        return kinds;
    }

    public static PhoneEngine create(EngineKind kind, EngineSettings settings, AudioPath audio) {
        if (kind == EngineKind.JAVA) {
            return new TelephonyPhoneEngine(settings, audio, Clock.systemUTC());
        }
        return provider(kind).create(settings, audio, Clock.systemUTC());
    }

    /** The choice the window and the headless phone are given for {@code kind}. */
    public static PhoneEngines choice(EngineKind kind) {
        provider(kind);
        return PhoneEngines.choose(kind);
    }

    private static PhoneEngineProvider provider(EngineKind kind) {
        if (kind == EngineKind.JAVA) {
            return null;
        }
        PhoneEngineProvider provider = PhoneEngines.provider(kind)
                .orElseThrow(() -> new AssertionError(kind + " engine not on the test class path"));
        String reason = provider.unavailableReason();
        if (reason != null) {
            throw new AssertionError(kind + " engine cannot run: " + reason);
        }
        return provider;
    }
}
