package io.tandem.telephony.sdp;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code c=} line (RFC 4566 §5.7): {@code IN IP4 192.0.2.1} or {@code IN IP6 2001:db8::1}.
 *
 * @param networkType always {@code IN} in practice
 * @param addressType {@code IP4} or {@code IP6}
 * @param address     unicast address or FQDN; a multicast {@code /ttl} suffix is kept as written
 */
public record Connection(String networkType, String addressType, String address) {

    public Connection {
        Objects.requireNonNull(networkType, "networkType");
        Objects.requireNonNull(addressType, "addressType");
        Objects.requireNonNull(address, "address");
    }

    public static Connection ip4(String address) {
        return new Connection("IN", "IP4", address);
    }

    public static Connection ip6(String address) {
        return new Connection("IN", "IP6", address);
    }

    /** The address without a multicast {@code /ttl/count} suffix. */
    public String host() {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    /** RFC 3264 §8.4 (and RFC 2543 practice): {@code c=IN IP4 0.0.0.0} puts the stream on hold. */
    public boolean isHold() {
        String h = host();
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }

    public boolean isIp6() {
        return addressType.toUpperCase(Locale.ROOT).equals("IP6");
    }

    /** The value after {@code c=}. */
    public String encode() {
        return networkType + " " + addressType + " " + address;
    }
}
