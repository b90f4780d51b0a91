package io.tandem.telephony.rtp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The receive side of all streams of one factory: one thread, one {@link Selector}, one
 * reusable receive buffer and RTP parser. Channels are registered through a task queue so
 * that only this thread touches the selector's key set.
 */
final class RtpIoLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RtpIoLoop.class);
    /** What a selection key points at. */
    private record Endpoint(RtpMediaStream stream, boolean rtcp) {
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer rx = ByteBuffer.allocate(2048);
    private final RtpPacket packet = new RtpPacket();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private volatile boolean running = true;

    RtpIoLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for RTP", e);
        }
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    void register(RtpMediaStream stream) {
        tasks.add(() -> {
            try {
                stream.ports().rtp().register(selector, SelectionKey.OP_READ, new Endpoint(stream, false));
                stream.ports().rtcp().register(selector, SelectionKey.OP_READ, new Endpoint(stream, true));
            } catch (ClosedChannelException closedMeanwhile) {
                // the stream was closed before the loop got to it: nothing to receive
            }
        });
        selector.wakeup();
    }

    /**
     * Deregisters the stream's channels and closes its ports. A channel registered with a
     * selector only really releases its socket once the selector has dropped the key, so
     * this runs on the loop thread (cancel, selectNow, close) and the caller waits for it:
     * when {@code close()} returns, the ports can be bound again.
     */
    void unregisterAndClose(RtpMediaStream stream) {
        if (Thread.currentThread() == thread || !running) {
            deregister(stream);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                deregister(stream);
            } finally {
                done.complete(null);
            }
        });
        selector.wakeup();
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.ports().close();
        } catch (ExecutionException | TimeoutException e) {
            stream.ports().close();
        }
    }

    private void deregister(RtpMediaStream stream) {
        SelectionKey k = stream.ports().rtp().keyFor(selector);
        if (k != null) {
            k.cancel();
        }
        k = stream.ports().rtcp().keyFor(selector);
        if (k != null) {
            k.cancel();
        }
        try {
            if (selector.isOpen()) {
                selector.selectNow(onReady); // flushes the cancelled keys
            }
        } catch (IOException e) {
            log.debug("selectNow while closing a stream", e);
        }
        stream.ports().close();
    }

    @Override
    public void run() {
        while (running) {
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                selector.select(onReady, 1000);
            } catch (IOException | RuntimeException e) {
                if (running) {
                    log.error("RTP I/O loop error; continuing", e);
                }
            }
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // shutting down
        }
    }

    /**
     * One datagram per ready channel per select, as the relay reads ({@code RtpRelayEngine#onReady}): the selector is
     * level-triggered, so a channel with more queued is ready again next round and a flooded port cannot starve the
     * others, while reading on until a channel was empty cost a failed receive per packet at RTP's pace.
     */
    private void onReady(SelectionKey key) {
        Endpoint endpoint = (Endpoint) key.attachment();
        InetSocketAddress from = Datagrams.receive((DatagramChannel) key.channel(), rx);
        if (from == null) {
            return;
        }
        long now = System.nanoTime();
        try {
            if (endpoint.rtcp()) {
                endpoint.stream().onRtcp(rx.array(), rx.position(), from, now);
            } else {
                endpoint.stream().onRtp(rx.array(), rx.position(), from, packet, now);
            }
        } catch (RuntimeException e) {
            // never let one stream's bad day stop everyone's receive path
            log.error("RTP receive handler failed for {}", endpoint.stream().localAddress(), e);
        }
    }

    void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
