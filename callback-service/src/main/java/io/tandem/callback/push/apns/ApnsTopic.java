package io.tandem.callback.push.apns;

import java.util.Optional;

/**
 * The APNs topic of a VoIP push, from the device's {@code pn-param}. RFC 8599 §9.2: for APNs the {@code pn-param} is
 * {@code <Team ID>.<Bundle ID>.<service>}, where the service is {@code voip} for PushKit; the topic of a VoIP push is
 * {@code <Bundle ID>.voip} (Apple, "Sending notification requests to APNs": apns-topic).
 */
final class ApnsTopic {

    private static final String VOIP_SUFFIX = ".voip";

    private ApnsTopic() {
    }

    /** The topic, or empty when {@code pnParam} is not {@code TEAMID.bundle.voip}. */
    static Optional<String> ofVoip(String pnParam) {
        int teamEnd = pnParam.indexOf('.');
        if (teamEnd <= 0 || !pnParam.endsWith(VOIP_SUFFIX)) {
            return Optional.empty();
        }
        String topic = pnParam.substring(teamEnd + 1);
        return topic.length() > VOIP_SUFFIX.length() ? Optional.of(topic) : Optional.empty();
    }
}
