package io.tandem.telephony.rtp;

import io.tandem.telephony.datagram.DatagramLoop;
import io.tandem.telephony.datagram.DatagramReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Opens {@link RtpMediaStream}s on port pairs from {@code [portMin, portMax]} and runs them
 * on three threads shared by all its streams: one I/O thread (a selector over every RTP and
 * RTCP channel), one 20 ms media clock, and one thread that delivers DTMF digits to
 * listeners so a slow listener never holds up media.
 */
public final class RtpMediaStreamFactory implements MediaStreamFactory {
    private static final Logger log = LoggerFactory.getLogger(RtpMediaStreamFactory.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final int EVENT_QUEUE = 1024;

    /**
     * What a stream's channel hands its datagrams to. {@code parser} is the loop thread's one reusable RTP parser;
     * one receiver type for both ports (rather than one type each) keeps the loop's call site to few types, so the
     * JIT can still inline it.
     */
    private record Endpoint(RtpMediaStream stream, boolean rtcp, RtpPacket parser) implements DatagramReceiver {
        @Override
        public void receive(ByteBuffer datagram, InetSocketAddress from) {
            long now = System.nanoTime();
            if (rtcp) {
                stream.onRtcp(datagram.array(), datagram.limit(), from, now);
            } else {
                stream.onRtp(datagram.array(), datagram.limit(), from, parser, now);
            }
        }

        @Override
        public String toString() {
            return (rtcp ? "RTCP port of stream " : "RTP port of stream ") + stream.localAddress();
        }
    }

    private final PortAllocator ports;
    private final DatagramLoop io;
    /** Used on the I/O thread only. */
    private final RtpPacket parser = new RtpPacket();
    private final MediaClock clock;
    private final ThreadPoolExecutor events;
    private final Set<RtpMediaStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventsDropped = new AtomicLong();
    private volatile boolean closed;

    public RtpMediaStreamFactory(int portMin, int portMax) {
        this.ports = new PortAllocator(portMin, portMax);
        int n = INSTANCES.incrementAndGet();
        this.io = new DatagramLoop("rtp-io-" + n);
        this.clock = new MediaClock("rtp-clock-" + n);
        this.events = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(EVENT_QUEUE),
                r -> {
                    Thread t = new Thread(r, "rtp-events-" + n);
                    t.setDaemon(true);
                    return t;
                }, (r, executor) -> eventsDropped.incrementAndGet());
    }

    @Override
    public RtpMediaStream open(InetAddress bindAddress) throws IOException {
        if (closed) {
            throw new IOException("RTP stream factory is closed");
        }
        PortPair pair = ports.allocate(bindAddress);
        RtpMediaStream stream = new RtpMediaStream(this, pair);
        streams.add(stream);
        io.register(pair.rtp(), new Endpoint(stream, false, parser));
        io.register(pair.rtcp(), new Endpoint(stream, true, parser));
        log.debug("RTP stream opened on {}", pair.rtpAddress());
        return stream;
    }

    /** Starts ticking a stream once it has a session; idempotent. */
    void activate(RtpMediaStream stream) {
        if (streams.contains(stream)) {
            clock.add(stream);
        }
    }

    /** Stops ticking and receiving for the stream, then closes its ports: when this returns they can be bound again. */
    void remove(RtpMediaStream stream) {
        streams.remove(stream);
        clock.remove(stream);
        PortPair pair = stream.ports();
        io.release(pair::close, pair.rtp(), pair.rtcp());
    }

    /** Media clock ticks so far; lets tests wait for time to pass on the media clock itself. */
    long ticks() {
        return clock.ticks();
    }

    /** Hands a detected digit to its listener on the events thread; counted and dropped when that queue is full. */
    void deliver(Consumer<Character> listener, char digit) {
        try {
            events.execute(() -> {
                try {
                    listener.accept(digit);
                } catch (RuntimeException e) {
                    log.warn("DTMF listener failed on digit {}", digit, e);
                }
            });
        } catch (RejectedExecutionException shutDown) {
            eventsDropped.incrementAndGet();
        }
    }

    /** The port pairs in use. */
    public int openStreams() {
        return streams.size();
    }

    /** Media ticks skipped because the clock thread fell behind (a sign of an overloaded machine). */
    public long skippedTicks() {
        return clock.skippedTicks();
    }

    /** Datagrams received but not handled because the socket reported an error or the stream's handler threw. */
    public long datagramsLost() {
        return io.receiveErrors() + io.receiverFailures();
    }

    /** DTMF digits not delivered because listeners fell 1024 digits behind. */
    public long dtmfEventsDropped() {
        return eventsDropped.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RtpMediaStream s : List.copyOf(streams)) {
            s.close();
        }
        clock.close();
        io.close();
        events.shutdown();
    }
}
