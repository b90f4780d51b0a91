package io.tandem.backend.registrar;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The push services a device may name in {@code pn-provider} (RFC 8599 §4.1), each with the form of its
 * {@code pn-prid} and {@code pn-param}. The callback service holds the credentials and sends the pushes; the
 * registrar only keeps well-formed bindings.
 */
enum PushProvider {

    /**
     * Apple Push Notification service (RFC 8599's {@code apns}): {@code pn-prid} the device token (hex),
     * {@code pn-param} the 10-character team id and the app's VoIP topic, {@code TEAMID.bundle.id.voip} (VoIP
     * pushes wake a sleeping app; other topics do not).
     */
    APNS("apns", Pattern.compile("[0-9A-Fa-f]{16,256}"), "a hex device token",
            Pattern.compile("[A-Z0-9]{10}\\.[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.voip"),
            "TEAMID.bundle.id.voip (a 10-character team id, the bundle id, ending .voip)"),

    /**
     * Firebase Cloud Messaging HTTP v1 (RFC 8599's {@code fcm}): {@code pn-prid} the registration token,
     * {@code pn-param} the Firebase project id (required: HTTP v1 sends per project).
     */
    FCM("fcm", Pattern.compile("[A-Za-z0-9_:.-]{16,4096}"), "an FCM registration token",
            Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]"),
            "the Firebase project id (6-30 lower-case letters, digits, '-')"),

    /**
     * Ours: an HTTP POST to a target configured in the callback service (SMS gateways, custom apps); {@code pn-prid}
     * names the target, there is no {@code pn-param}.
     */
    WEBHOOK("webhook", Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}"),
            "a webhook target name (1-64 lower-case letters, digits, '.', '_', '-')", null, "no pn-param");

    private final String wireName;
    private final Pattern prid;
    private final String pridForm;
    /** Null: the provider takes no {@code pn-param}. */
    private final Pattern param;
    private final String paramForm;

    PushProvider(String wireName, Pattern prid, String pridForm, Pattern param, String paramForm) {
        this.wireName = wireName;
        this.prid = prid;
        this.pridForm = pridForm;
        this.param = param;
        this.paramForm = paramForm;
    }

    /** The {@code pn-provider} value. */
    String wireName() {
        return wireName;
    }

    static Optional<PushProvider> of(String wireName) {
        for (PushProvider provider : values()) {
            if (provider.wireName.equals(wireName)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    /** Why {@code value} is no {@code pn-prid} of this provider; empty when it is one. */
    Optional<String> checkPrid(String value) {
        return value != null && prid.matcher(value).matches() ? Optional.empty()
                : Optional.of("Bad pn-prid: " + wireName + " wants " + pridForm);
    }

    /** Why {@code value} (null when absent) is no {@code pn-param} of this provider; empty when it is one. */
    Optional<String> checkParam(String value) {
        if (param == null) {
            return value == null ? Optional.empty() : Optional.of("Bad pn-param: " + wireName + " takes no pn-param");
        }
        return value != null && param.matcher(value).matches() ? Optional.empty()
                : Optional.of((value == null ? "Missing pn-param: " : "Bad pn-param: ") + wireName + " wants "
                        + paramForm);
    }
}
