package io.tandem.telephony.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** FreePorts against the real socket layer. */
class FreePortsIT {

    @Test
    void handsOutDistinctPortsThatBothUdpAndTcpCanBind() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int p = FreePorts.udpAndTcp();
            assertThat(p).isBetween(FreePorts.MIN, FreePorts.MAX);
            assertThat(seen.add(p)).as("port %d handed out twice", p).isTrue();
        }
        int p = FreePorts.udpAndTcp();
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lo, p));
             ServerSocket tcp = new ServerSocket()) {
            tcp.bind(new InetSocketAddress(lo, p));
            assertThat(FreePorts.isFree(p)).as("a bound port is not free").isFalse();
        }
    }

    @Test
    void releasedBlocksAreHandedOutAgainSoTheRangeLastsAWholeRun() {
        // Four times the range in blocks of 100: without release the search gives up after ~127 blocks.
        int blocks = 4 * (FreePorts.MAX - FreePorts.MIN) / 100;
        for (int i = 0; i < blocks; i++) {
            int first = FreePorts.alignedBlock(100);
            FreePorts.release(first, 100);
        }
    }

    @Test
    void blocksAreConsecutiveFreePortsAndRtpPairsStartEven() {
        int first = FreePorts.block(3);
        assertThat(FreePorts.isFree(first)).isTrue();
        assertThat(FreePorts.isFree(first + 1)).isTrue();
        assertThat(FreePorts.isFree(first + 2)).isTrue();
        int rtp = FreePorts.rtpPair();
        assertThat(rtp % 2).isZero();
        assertThat(FreePorts.isFree(rtp + 1)).isTrue();
    }

    @Test
    void boundPortsSeesWhatIsBoundWithoutBindingItself() throws Exception {
        int p = FreePorts.udpAndTcp();
        assertThat(BoundPorts.udpBound(p)).isFalse();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
             ServerSocket tcp = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
            assertThat(BoundPorts.udpBound(p)).isTrue();
            assertThat(BoundPorts.tcpListening(p)).isTrue();
        }
    }
}
