package io.tandem.telephony.datagram;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

            Received one = first.poll(10, TimeUnit.SECONDS);
            assertThat(one).isEqualTo(new Received("one", (InetSocketAddress) sender.getLocalAddress(),
                    loop.threadName()));
            assertThat(first.poll(10, TimeUnit.SECONDS).text()).isEqualTo("two!"); // limit is this datagram's own
            assertThat(second.poll(10, TimeUnit.SECONDS).text()).isEqualTo("three");
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

            assertThat(failed.poll(10, TimeUnit.SECONDS).text()).isEqualTo("lost");
            assertThat(failed.poll(10, TimeUnit.SECONDS).text()).isEqualTo("lost again");
            assertThat(healthy.poll(10, TimeUnit.SECONDS).text()).isEqualTo("kept");
            // sent now, "after" is read in a later round of the loop than the failures, so both are counted by then
            send(sender, fine, "after");
            assertThat(healthy.poll(10, TimeUnit.SECONDS).text()).isEqualTo("after");
            assertThat(loop.receiverFailures()).isEqualTo(2);
            assertThat(loop.receiveErrors()).isZero();
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
            assertThat(received.poll(10, TimeUnit.SECONDS).text()).isEqualTo("before");
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
            assertThat(received.poll(10, TimeUnit.SECONDS).text()).isEqualTo("still running");
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
