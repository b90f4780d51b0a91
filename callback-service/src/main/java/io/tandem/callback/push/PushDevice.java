package io.tandem.callback.push;

import java.util.Objects;

/**
 * Where a push goes: the RFC 8599 push binding of a registered device.
 *
 * @param network the {@code pn-provider}
 * @param prid    the {@code pn-prid}: the device token (APNs, FCM) or the name of a configured webhook target
 * @param param   the {@code pn-param}: for APNs {@code TEAMID.bundle.voip} (RFC 8599 §9.2), for FCM the project id
 *                (§10.2, informational: the service sends for its configured project), empty for webhooks
 */
public record PushDevice(PushNetwork network, String prid, String param) {

    public PushDevice {
        Objects.requireNonNull(network, "network");
        if (prid == null || prid.isBlank()) {
            throw new IllegalArgumentException("pn-prid must not be blank");
        }
        param = param == null ? "" : param;
    }
}
