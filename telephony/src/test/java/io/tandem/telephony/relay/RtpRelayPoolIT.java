package io.tandem.telephony.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import io.tandem.telephony.codec.CodecSpec;
import org.junit.jupiter.api.Test;

/** Relays spread over the pool's engines (each with its own share of ports), and each engine relays. */
class RtpRelayPoolIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    // Below the kernel's ephemeral ports (32768+) and above the other relay tests' ranges (20000-32000).
    private final int base = 32000 + 16 * ThreadLocalRandom.current().nextInt(48);

    @Test
    void relaysGoToTheLeastBusyEngineAndEachEngineForwards() throws Exception {
        // 16 ports, two engines: 8 each, i.e. two relays per engine.
        try (RtpRelayPool pool = new RtpRelayPool(base, base + 15, 2)) {
            List<RtpRelay> relays = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                relays.add(pool.open(LOOPBACK, LOOPBACK));
            }
            assertThat(pool.relays()).isEqualTo(4);
            // Alternating engines: relays 0 and 2 in the lower half of the range, 1 and 3 in the upper half.
            assertThat(relays).extracting(r -> r.legA().localAddress().getPort() < base + 8)
                    .containsExactly(true, false, true, false);
            assertThatThrownBy(() -> pool.open(LOOPBACK, LOOPBACK)).isInstanceOf(IOException.class);
            for (RtpRelay relay : relays) {
                assertForwards(relay);
            }
            relays.get(1).close();
            assertThat(pool.relays()).isEqualTo(3);
            RtpRelay again = pool.open(LOOPBACK, LOOPBACK); // the upper engine's ports are free again
            assertThat(again.legA().localAddress().getPort()).isGreaterThanOrEqualTo(base + 8);
        }
    }

    @Test
    void aSmallRangeGetsFewerThreadsAndTooSmallARangeIsRefused() {
        try (RtpRelayPool pool = new RtpRelayPool(base, base + 15, 4)) {
            assertThat(pool.threads()).isEqualTo(2);
        }
        assertThatThrownBy(() -> new RtpRelayPool(base, base + 5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too few");
    }

    /** One RTP packet sent to leg A from a socket arrives at the socket leg B is configured to send to. */
    private static void assertForwards(RtpRelay relay) throws IOException {
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            b.setSoTimeout(5000);
            relay.legA().configure((InetSocketAddress) a.getLocalSocketAddress(), CodecSpec.PCMU, -1);
            relay.legB().configure((InetSocketAddress) b.getLocalSocketAddress(), CodecSpec.PCMU, -1);
            byte[] rtp = new byte[172];
            rtp[0] = (byte) 0x80; // RTP version 2, payload type 0 (PCMU)
            a.send(new DatagramPacket(rtp, rtp.length, relay.legA().localAddress()));
            DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
            b.receive(got);
            assertThat(got.getLength()).isEqualTo(172);
        }
    }
}
