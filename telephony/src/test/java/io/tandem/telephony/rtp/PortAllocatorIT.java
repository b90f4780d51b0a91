package io.tandem.telephony.rtp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortAllocatorIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void handsOutEvenRtpPortsWithRtcpOnTheNextAndSkipsPortsInUse() throws Exception {
        int base = TestPorts.base(20);
        try (DatagramChannel squatter = DatagramChannel.open()) {
            squatter.bind(new InetSocketAddress(LOOPBACK, base + 1)); // someone holds the first RTCP port
            PortAllocator allocator = new PortAllocator(base, base + 19);
            try (PortPair pair = allocator.allocate(LOOPBACK)) {
                assertThat(pair.rtpPort() % 2).isZero();
                assertThat(pair.rtpPort()).isBetween(base + 2, base + 18);
                assertThat(pair.rtcpPort()).isEqualTo(pair.rtpPort() + 1);
                assertThat(((InetSocketAddress) pair.rtcp().getLocalAddress()).getPort()).isEqualTo(pair.rtcpPort());
                assertThat(pair.rtpAddress().getPort()).isEqualTo(pair.rtpPort());
                assertThat(pair.rtp().isBlocking()).isFalse();
            }
            assertThat(allocator.inUse()).isZero();
        }
    }

    @Test
    void exhaustedRangeGivesAnIOExceptionAndClosingFreesThePair() throws Exception {
        int base = TestPorts.base(4);
        PortAllocator allocator = new PortAllocator(base, base + 3);
        PortPair first = allocator.allocate(LOOPBACK);
        PortPair second = allocator.allocate(LOOPBACK);
        assertThatThrownBy(() -> allocator.allocate(LOOPBACK))
                .isInstanceOf(IOException.class)
                .hasMessage("no free RTP port pair in " + base + "-" + (base + 3));
        int freed = first.rtpPort();
        first.close();
        first.close(); // idempotent
        try (PortPair again = allocator.allocate(LOOPBACK)) {
            assertThat(again.rtpPort()).isEqualTo(freed);
        }
        second.close();
        assertThat(allocator.inUse()).isZero();
    }

    @Test
    void concurrentCallersNeverGetTheSamePair() throws Exception {
        int base = TestPorts.base(40);
        PortAllocator allocator = new PortAllocator(base, base + 39); // 20 pairs
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<PortPair>> futures = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return allocator.allocate(LOOPBACK);
            }));
        }
        go.countDown();
        List<PortPair> pairs = Collections.synchronizedList(new ArrayList<>());
        int failures = 0;
        for (Future<PortPair> f : futures) {
            try {
                pairs.add(f.get(30, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(IOException.class);
                failures++;
            }
        }
        pool.shutdown();
        Set<Integer> ports = new HashSet<>();
        pairs.forEach(p -> ports.add(p.rtpPort()));
        assertThat(ports).hasSize(pairs.size());
        // every pair of the range unless another process happened to hold one
        assertThat(pairs.size() + failures).isEqualTo(24);
        assertThat(failures).isGreaterThanOrEqualTo(4);
        pairs.forEach(PortPair::close);
        assertThat(allocator.inUse()).isZero();
    }
}
