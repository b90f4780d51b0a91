package io.tandem.telephony.rtp;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DatagramsIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void receivesOneDatagramPerCallWithItsSenderAndNothingWhenNoneIsQueued() throws Exception {
        try (DatagramChannel receiver = open(); DatagramChannel sender = open(); Selector selector = Selector.open()) {
            receiver.register(selector, SelectionKey.OP_READ);
            ByteBuffer rx = ByteBuffer.allocate(2048);
            assertThat(Datagrams.receive(receiver, rx)).isNull();

            sender.send(ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII)), receiver.getLocalAddress());
            sender.send(ByteBuffer.wrap("second!".getBytes(StandardCharsets.US_ASCII)), receiver.getLocalAddress());
            assertThat(selector.select(5_000)).isEqualTo(1);

            rx.put(new byte[100]); // left over from an earlier packet: receive starts from a cleared buffer
            InetSocketAddress from = Datagrams.receive(receiver, rx);
            assertThat(from).isEqualTo(sender.getLocalAddress());
            assertThat(new String(rx.array(), 0, rx.position(), StandardCharsets.US_ASCII)).isEqualTo("first");

            selector.selectedKeys().clear();
            assertThat(selector.select(5_000)).isEqualTo(1); // level-triggered: the second is still queued
            assertThat(Datagrams.receive(receiver, rx)).isEqualTo(sender.getLocalAddress());
            assertThat(new String(rx.array(), 0, rx.position(), StandardCharsets.US_ASCII)).isEqualTo("second!");
            assertThat(Datagrams.receive(receiver, rx)).isNull();
        }
    }

    @Test
    void aClosedChannelGivesNothingRatherThanThrowing() throws Exception {
        DatagramChannel closed = open();
        closed.close();
        assertThat(Datagrams.receive(closed, ByteBuffer.allocate(64))).isNull();
    }

    private static DatagramChannel open() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.configureBlocking(false);
        ch.bind(new InetSocketAddress(LOOPBACK, 0));
        return ch;
    }
}
