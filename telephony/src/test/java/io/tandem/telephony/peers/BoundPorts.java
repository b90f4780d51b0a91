package io.tandem.telephony.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whether some process has bound a port, read from Linux's /proc/net tables. Probing with our own
 * bind() would race the program we are waiting for (and could make its bind fail), so we only look.
 */
final class BoundPorts {
    private static final String LOOPBACK_HEX = "0100007F";
    private static final String TCP_LISTEN = "0A";

    private BoundPorts() {
    }

    /** True when a UDP socket is bound to 127.0.0.1:{@code port} or to the wildcard on that port. */
    static boolean udpBound(int port) {
        return bound(Path.of("/proc/net/udp"), port, null) || bound(Path.of("/proc/net/udp6"), port, null);
    }

    /** True when a TCP socket listens on 127.0.0.1:{@code port} or on the wildcard on that port. */
    static boolean tcpListening(int port) {
        return bound(Path.of("/proc/net/tcp"), port, TCP_LISTEN) || bound(Path.of("/proc/net/tcp6"), port, TCP_LISTEN);
    }

    /**
     * IPv4 127.0.0.1 or 0.0.0.0; in the IPv6 tables (where Java's dual-stack sockets appear) also
     * ::ffff:127.0.0.1, ::1 and ::. The kernel prints each 32-bit word in host byte order.
     */
    private static boolean loopbackOrWildcard(String hex) {
        if (hex.length() == 8) {
            return hex.equalsIgnoreCase(LOOPBACK_HEX) || hex.equals("00000000");
        }
        return hex.equalsIgnoreCase("0000000000000000FFFF0000" + LOOPBACK_HEX)
                || hex.equalsIgnoreCase("00000000000000000000000001000000")
                || hex.equals("00000000000000000000000000000000");
    }

    private static boolean bound(Path table, int port, String state) {
        String portHex = String.format(Locale.ROOT, "%04X", port);
        List<String> lines;
        try {
            if (!Files.exists(table)) {
                return false;
            }
            lines = Files.readAllLines(table);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + table + " to see whether port " + port + " is bound", e);
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            String[] local = f[1].split(":");
            if (local.length != 2 || !local[1].equalsIgnoreCase(portHex)) {
                continue;
            }
            boolean address = loopbackOrWildcard(local[0]);
            if (address && (state == null || f[3].equalsIgnoreCase(state))) {
                return true;
            }
        }
        return false;
    }
}
