package io.tandem.telephony.ua;

import java.util.Objects;

/**
 * What a device that can be woken puts on the Contact of its REGISTER (RFC 8599 §4.1.1): the push network
 * ({@code pn-provider}), the device's token there ({@code pn-prid}) and the network's parameter ({@code pn-param},
 * e.g. the APNs topic), as Contact URI parameters; and the device's instance id ({@code +sip.instance}, RFC 5626
 * §4.1) as a Contact header parameter, so the registrar replaces the device's binding when its token changes.
 *
 * @param provider the {@code pn-provider} (e.g. {@code apns}, {@code fcm})
 * @param prid     the {@code pn-prid}: the device's push token
 * @param param    the {@code pn-param}, or empty for a network that takes none
 * @param instance the {@code +sip.instance} URN (e.g. {@code urn:uuid:…}), or empty for none
 */
public record PushParameters(String provider, String prid, String param, String instance) {

    public PushParameters {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(prid, "prid");
        param = param == null ? "" : param;
        instance = instance == null ? "" : instance;
    }
}
