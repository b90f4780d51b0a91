package io.tandem.telephony.rtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** The receive step the media streams' loop and the relay share. */
public final class Datagrams {
    private Datagrams() {
    }

    /**
     * Receives one datagram into {@code into} (cleared first; the datagram ends at its position).
     *
     * @return the sender, or null when nothing was queued or the channel failed: an ICMP port unreachable surfaces
     *     as an {@link IOException} on some platforms, a closed channel too, and neither is the receiver's to handle
     */
    public static InetSocketAddress receive(DatagramChannel channel, ByteBuffer into) {
        into.clear();
        try {
            return (InetSocketAddress) channel.receive(into);
        } catch (IOException e) {
            return null;
        }
    }
}
