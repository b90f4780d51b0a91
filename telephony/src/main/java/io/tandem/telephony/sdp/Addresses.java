package io.tandem.telephony.sdp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** IP literal decoding that never falls back to a DNS query (InetAddress.getByName would, for a bad literal). */
final class Addresses {
    private Addresses() {
    }

    static Optional<InetAddress> literal(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (host.indexOf(':') >= 0) {
                // Brackets make the JDK treat it as an IPv6 literal and fail instead of resolving.
                return Optional.of(InetAddress.getByName("[" + host + "]"));
            }
            byte[] v4 = ipv4(host);
            return v4 == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static byte[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            Integer octet = SdpParser.boundedInt(parts[i], 0, 255);
            if (octet == null || parts[i].length() > 3) {
                return null;
            }
            b[i] = (byte) (int) octet;
        }
        return b;
    }
}
