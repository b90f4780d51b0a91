package io.tandem.telephony.datagram;

import io.tandem.telephony.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class DatagramLoopIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final DatagramLoop loop = new DatagramLoop("datagram-loop-it");

    /** A datagram as a receiver saw it: its text, its sender and the thread it arrived on. */
    private record Received(String text, InetSocketAddress from, String thread) {
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void handsEachChannelsDatagramsToItsOwnReceiverOnTheLoopThread() throws Exception {
        BlockingQueue<Received> first = new LinkedBlockingQueue<>();
        BlockingQueue<Received> second = new LinkedBlockingQueue<>();
        try (DatagramChannel a = open(); DatagramChannel b = open(); DatagramChannel sender = open()) {
            loop.register(a, recordInto(first));
            loop.register(b, recordInto(second));

            send(sender, a, "one");
            send(sender, a, "two!");
            send(sender, b, "three");

            Received one = first.poll(30, TimeUnit.SECONDS);
            assertThat(one).isEqualTo(new Received("one", (InetSocketAddress) sender.getLocalAddress(),
                    loop.threadName()));
            assertThat(first.poll(30, TimeUnit.SECONDS).text()).isEqualTo("two!"); // limit is this datagram's own
            assertThat(second.poll(30, TimeUnit.SECONDS).text()).isEqualTo("three");
        }
    }

    @Test
    void aReceiverThatThrowsIsCountedAndTheOthersKeepReceiving() throws Exception {
        BlockingQueue<Received> healthy = new LinkedBlockingQueue<>();
        BlockingQueue<Received> failed = new LinkedBlockingQueue<>();
        DatagramReceiver recordFailed = recordInto(failed);
        try (DatagramChannel broken = open(); DatagramChannel fine = open(); DatagramChannel sender = open()) {
            loop.register(broken, (datagram, from) -> {
                recordFailed.receive(datagram, from);
                throw new IllegalStateException("receiver fails on purpose");
            });
            loop.register(fine, recordInto(healthy));

            send(sender, broken, "lost");
            send(sender, broken, "lost again");
            send(sender, fine, "kept");

            assertThat(failed.poll(30, TimeUnit.SECONDS).text()).isEqualTo("lost");
            assertThat(failed.poll(30, TimeUnit.SECONDS).text()).isEqualTo("lost again");
            assertThat(healthy.poll(30, TimeUnit.SECONDS).text()).isEqualTo("kept");
            // sent now, "after" is read in a later round of the loop than the failures, so both are counted by then
            send(sender, fine, "after");
            assertThat(healthy.poll(30, TimeUnit.SECONDS).text()).isEqualTo("after");
            assertThat(loop.receiverFailures()).isEqualTo(2);
            assertThat(loop.receiveErrors()).isZero();
        }
    }

    @Test
    void aBacklogIsDeliveredWholeAndInOrderWithoutStarvingAChannelThatBecomesReadyMeanwhile() throws Exception {
        int backlog = 200;
        List<String> order = new CopyOnWriteArrayList<>();
        try (DatagramChannel flooded = open(); DatagramChannel quiet = open(); DatagramChannel sender = open()) {
            flooded.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            for (int i = 0; i < backlog; i++) {
                send(sender, flooded, "f" + i);
            }
            loop.register(quiet, (datagram, from) -> order.add("quiet"));
            loop.register(flooded, (datagram, from) -> {
                order.add(new String(datagram.array(), 0, datagram.limit(), StandardCharsets.US_ASCII));
                if (order.size() == 40) { // by now the loop has seen the backlog and drains it
                    sendQuietly(sender, quiet, "ready while the backlog waits");
                }
            });

            Await.until("the backlog and the quiet channel's datagram", Duration.ofSeconds(30),
                    () -> order.size() == backlog + 1);

            assertThat(order.stream().filter(text -> text.startsWith("f")))
                    .containsExactlyElementsOf(IntStream.range(0, backlog).mapToObj(i -> "f" + i).toList());
            // a loop that read the flooded channel until it was empty would hand "quiet" over last, after f199
            assertThat(order.indexOf("quiet")).isLessThan(backlog / 2);
        }
    }

    @Test
    void releaseStopsReceivingClosesTheChannelsAndFreesThePortAtOnce() throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        DatagramChannel channel = open();
        InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
        loop.register(channel, recordInto(received));
        try (DatagramChannel sender = open()) {
            send(sender, channel, "before");
            assertThat(received.poll(30, TimeUnit.SECONDS).text()).isEqualTo("before");
        }

        loop.release(() -> close(channel), channel);

        assertThat(channel.isOpen()).isFalse();
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(bound); // throws if the selector still held the old socket
        }
    }

    @Test
    void aChannelClosedBeforeItsRegistrationRanIsSkipped() throws Exception {
        DatagramChannel closed = open();
        closed.close();
        loop.register(closed, (datagram, from) -> {
            throw new AssertionError("nothing can arrive on a closed channel");
        });
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        try (DatagramChannel channel = open(); DatagramChannel sender = open()) {
            loop.register(channel, recordInto(received));
            send(sender, channel, "still running");
            assertThat(received.poll(30, TimeUnit.SECONDS).text()).isEqualTo("still running");
        }
    }

    private static DatagramReceiver recordInto(BlockingQueue<Received> queue) {
        return (datagram, from) -> queue.add(new Received(
                new String(datagram.array(), datagram.position(), datagram.remaining(), StandardCharsets.US_ASCII),
                from, Thread.currentThread().getName()));
    }

    private static void send(DatagramChannel sender, DatagramChannel to, String text) throws Exception {
        sender.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), to.getLocalAddress());
    }

    private static void sendQuietly(DatagramChannel sender, DatagramChannel to, String text) {
        try {
            send(sender, to, text);
        } catch (Exception e) {
            throw new AssertionError("sending to " + to + " failed", e);
        }
    }

    private static void close(DatagramChannel channel) {
        try {
            channel.close();
        } catch (Exception e) {
            throw new AssertionError("closing " + channel + " failed", e);
        }
    }

    private static DatagramChannel open() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.configureBlocking(false);
        ch.bind(new InetSocketAddress(LOOPBACK, 0));
        return ch;
    }
}
