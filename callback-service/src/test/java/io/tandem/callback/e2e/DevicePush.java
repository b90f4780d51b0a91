package io.tandem.callback.e2e;

import java.util.Map;

/**
 * A push a provider's mock accepted for a device, whichever network carried it: APNs' collapse id or FCM's
 * {@code collapse_key}, and the payload fields every network carries alike ({@code kind}, {@code roomId},
 * {@code queue}, {@code joinToken}, ...).
 */
record DevicePush(String token, String collapseId, Map<String, String> payload) {

    String kind() {
        return payload.get("kind");
    }

    String room() {
        return payload.get("roomId");
    }
}
