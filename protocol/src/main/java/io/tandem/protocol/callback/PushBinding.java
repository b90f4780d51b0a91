package io.tandem.protocol.callback;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A device's RFC 8599 push binding, kept by the registrar from a REGISTER's Contact and read by the callback
 * service (one field of {@link CallbackKeys#pushBindings}, as JSON).
 *
 * @param device    the device key: {@code +sip.instance}, else {@code pn-prid}
 * @param provider  {@code apns} | {@code fcm} | {@code webhook} (RFC 8599 {@code pn-provider})
 * @param prid      the push token (APNs device token, FCM registration token, webhook target name)
 * @param param     RFC 8599 {@code pn-param}: APNs {@code TEAMID.bundle.id.voip}, FCM the project id; empty
 *                  for webhook
 * @param node      the node that took the REGISTER
 * @param updatedAt when the last REGISTER carrying it was taken, epoch ms
 * @param expiresAt when the push binding lapses without a new REGISTER, epoch ms (default 7 days after)
 */
public record PushBinding(
        @JsonProperty("device") String device,
        @JsonProperty("provider") String provider,
        @JsonProperty("prid") String prid,
        @JsonProperty("param") String param,
        @JsonProperty("node") String node,
        @JsonProperty("updatedAt") long updatedAt,
        @JsonProperty("expiresAt") long expiresAt) {

    public PushBinding {
        param = param == null ? "" : param;
    }
}
