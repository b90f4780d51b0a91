package io.tandem.telephony.relay;

import io.tandem.telephony.datagram.DatagramLoop;
import io.tandem.telephony.datagram.DatagramReceiver;
import io.tandem.telephony.rtp.PortAllocator;
import io.tandem.telephony.rtp.PortPair;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs many {@link RtpRelay}s on one thread: a single {@link DatagramLoop} over every leg's RTP and RTCP channel, its
 * one receive buffer rewritten in place and sent on, no allocation per packet. A process that needs more than one
 * core's worth of relaying opens one engine per core.
 */
public final class RtpRelayEngine implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /**
     * What each leg's channel hands its datagrams to. One receiver type for both ports of a leg (rather than one
     * type each) keeps the loop's call site to few types, so the JIT can still inline it.
     */
    private record Port(RelayLeg leg, boolean rtcp) implements DatagramReceiver {
        @Override
        public void receive(ByteBuffer datagram, InetSocketAddress from) {
            if (rtcp) {
                leg.onRtcp(datagram, from);
            } else {
                leg.onRtp(datagram.array(), datagram, from);
            }
        }

        @Override
        public String toString() {
            return (rtcp ? "relay RTCP port of " : "relay RTP port of ") + leg.localAddress();
        }
    }

    private final PortAllocator ports;
    private final DatagramLoop loop;
    private final Set<RtpRelay> relays = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    /** Relays whose legs take port pairs from {@code [portMin, portMax]} (4 ports per relay). */
    public RtpRelayEngine(int portMin, int portMax) {
        this.ports = new PortAllocator(portMin, portMax);
        this.loop = new DatagramLoop("rtp-relay-" + INSTANCES.incrementAndGet());
    }

    /** The selector thread's name, e.g. to pin it to a core from outside. */
    public String threadName() {
        return loop.threadName();
    }

    /**
     * Binds both legs' port pairs and starts relaying between them.
     *
     * @throws IOException when the port range has no two free pairs left
     */
    public RtpRelay open(InetAddress legABind, InetAddress legBBind) throws IOException {
        if (!running) {
            throw new IOException("RTP relay engine is closed");
        }
        PortPair a = ports.allocate(legABind);
        PortPair b;
        try {
            b = ports.allocate(legBBind);
        } catch (IOException e) {
            a.close();
            throw e;
        }
        RelayLeg legA = new RelayLeg(a);
        RelayLeg legB = new RelayLeg(b);
        RtpRelay relay = new RtpRelay(this, legA, legB);
        relays.add(relay);
        register(legA);
        register(legB);
        return relay;
    }

    /** Relays open now. */
    public int relays() {
        return relays.size();
    }

    /** Datagrams received but not relayed because the socket reported an error or the leg's handler threw. */
    public long datagramsLost() {
        return loop.receiveErrors() + loop.receiverFailures();
    }

    private void register(RelayLeg leg) {
        loop.register(leg.ports().rtp(), new Port(leg, false));
        loop.register(leg.ports().rtcp(), new Port(leg, true));
    }

    /** Stops relaying; when this returns, both legs' ports are free again. */
    void remove(RtpRelay relay) {
        relays.remove(relay);
        PortPair a = relay.legA().ports();
        PortPair b = relay.legB().ports();
        loop.release(() -> {
            a.close();
            b.close();
        }, a.rtp(), a.rtcp(), b.rtp(), b.rtcp());
    }

    /** Closes every relay and stops the thread. */
    @Override
    public void close() {
        running = false;
        for (RtpRelay r : List.copyOf(relays)) {
            r.close();
        }
        loop.close();
    }
}
