package io.tandem.agent.engine;

import java.util.Locale;

/** Which {@link PhoneEngine} runs the phone: PJSIP through JNI, or the pure-Java one on {@code telephony}. */
public enum EngineKind {
    /** PJSIP's pjsua2 (echo cancellation, ALSA devices, SRTP, ICE); needs the native build. */
    PJSUA2,
    /** {@link TelephonyPhoneEngine}: runs wherever Java runs. */
    JAVA;

    /** {@code pjsua2} or {@code java}, any case. */
    public static EngineKind parse(String name) {
        String s = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "pjsua2", "pjsip" -> PJSUA2;
            case "java" -> JAVA;
            default -> throw new IllegalArgumentException("unknown phone engine '" + name + "': pjsua2 or java");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
