package io.tandem.protocol.callback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@link CallbackKeys#deviceEvents}: a device with RFC 8599 push parameters registered (or refreshed
 * its registration), written by the node whose registrar took the REGISTER.
 *
 * @param user     the extension or app user
 * @param device   the device key: {@code +sip.instance}, else the {@code pn-prid}
 * @param provider {@code apns} | {@code fcm} | {@code webhook}
 * @param node     the node that took the REGISTER (the device's contact is reachable from it)
 * @param at       when, epoch ms
 */
public record DeviceEvent(String user, String device, String provider, String node, long at) {

    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kind", "registered");
        f.put("user", user);
        f.put("device", device);
        f.put("provider", provider);
        f.put("node", node);
        f.put("at", Long.toString(at));
        return f;
    }

    public static DeviceEvent of(Map<String, String> f) {
        return new DeviceEvent(StreamFields.text(f, "user"), StreamFields.text(f, "device"),
                StreamFields.text(f, "provider"), StreamFields.text(f, "node"), StreamFields.number(f, "at"));
    }
}
