package io.tandem.callback.push;

import java.util.Arrays;
import java.util.Optional;

/**
 * A push network, named as in the {@code pn-provider} Contact parameter (RFC 8599 §4.1.1, values from the IANA
 * "PNS" sub-registry: {@code apns}, {@code fcm}); {@code webhook} is Tandem's own, for SMS gateways and custom apps,
 * and {@code websocket} is the agent's own desktop softphone.
 */
public enum PushNetwork {
    APNS("apns"),
    FCM("fcm"),
    WEBHOOK("webhook"),
    /**
     * A running desktop softphone, reached over its agent WebSocket through the nodes. Never from a REGISTER: the
     * service makes such a device for a member whose softphone is connected, {@code pn-prid} = the agent,
     * {@code pn-param} = the tenant.
     */
    WEBSOCKET("websocket");

    private final String pnProvider;

    PushNetwork(String pnProvider) {
        this.pnProvider = pnProvider;
    }

    /** The {@code pn-provider} value. */
    public String pnProvider() {
        return pnProvider;
    }

    /** The network a {@code pn-provider} value names (case-insensitive, RFC 8599 §4.1.1), if we know it. */
    public static Optional<PushNetwork> ofPnProvider(String value) {
        return Arrays.stream(values()).filter(n -> n.pnProvider.equalsIgnoreCase(value)).findFirst();
    }
}
