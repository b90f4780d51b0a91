package io.tandem.backend.queuecall;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Source addresses whose caller headers we believe (Kamailio in front, an IVR): a list of CIDR blocks, IPv4 or
 * IPv6, matched against the packet's source address (never a header the sender wrote).
 */
final class TrustedProxies {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 192.0.2.7} (one host), {@code fd00::/8}; only numeric addresses (no DNS).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    static TrustedProxies parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            String entry = cidr.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalArgumentException("not a numeric address: " + entry);
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address: " + entry);
            }
            int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length: " + entry);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + entry);
            }
            blocks.add(new Block(network, prefix));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    /** True when {@code address} (a numeric source address) lies in one of the blocks. */
    boolean contains(String address) {
        if (blocks.isEmpty() || address == null || address.isEmpty()) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
