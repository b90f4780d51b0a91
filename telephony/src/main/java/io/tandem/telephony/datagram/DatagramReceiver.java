package io.tandem.telephony.datagram;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * What a {@link DatagramLoop} does with a datagram received on one registered channel. Called on the loop's thread,
 * which every channel of the loop shares: it must not block, and should allocate nothing.
 */
@FunctionalInterface
public interface DatagramReceiver {
    /**
     * One datagram, in {@code datagram} from position 0 to its limit. The buffer is heap-backed ({@code array()} is
     * the datagram's bytes from offset 0) and belongs to the loop: it is rewritten by the next receive, so copy out
     * what must outlive the call. The receiver may rewrite it in place and send it on.
     */
    void receive(ByteBuffer datagram, InetSocketAddress from);
}
