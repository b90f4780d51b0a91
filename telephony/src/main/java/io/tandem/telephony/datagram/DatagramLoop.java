package io.tandem.telephony.datagram;

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
 * One thread receiving on many non-blocking UDP channels: a single {@link Selector}, one receive buffer reused for
 * every datagram, and per channel the {@link DatagramReceiver} given at registration. Only this thread touches the
 * selector's key set; other threads hand it registration tasks through a queue. The RTP relay and the media streams
 * each run their channels on one of these.
 */
public final class DatagramLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatagramLoop.class);
    /** Larger than any RTP or RTCP packet on an Ethernet path; a longer datagram is truncated by the kernel. */
    private static final int MAX_DATAGRAM = 2048;
    private static final long RELEASE_TIMEOUT_SECONDS = 10;
    /** Most datagrams read from one backlogged channel per select, so a flooded port cannot starve the rest. */
    private static final int DRAIN_BUDGET = 16;
    /** A quiet channel is probed for a second datagram on every this many reads (a power of two). */
    private static final int PROBE_EVERY = 16;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer rx = ByteBuffer.allocate(MAX_DATAGRAM);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private volatile boolean running = true;
    // written by the loop thread only, read by anyone
    private volatile long receiveErrors;
    private volatile long receiverFailures;

    /** Starts the loop on a daemon thread of that name. */
    public DatagramLoop(String threadName) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + threadName, e);
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The loop thread's name, e.g. to pin it to a core or read its CPU time from outside. */
    public String threadName() {
        return thread.getName();
    }

    /**
     * Starts handing the channel's datagrams to {@code receiver}, from the loop's next round on; does not wait. A
     * channel closed before then is skipped: there is nothing left to receive on it.
     */
    public void register(DatagramChannel channel, DatagramReceiver receiver) {
        tasks.add(() -> {
            try {
                channel.register(selector, SelectionKey.OP_READ, new Registration(receiver));
            } catch (ClosedChannelException closedMeanwhile) {
                log.debug("{} was closed before it was registered", channel);
            }
        });
        selector.wakeup();
    }

    /**
     * Stops receiving on the channels and then runs {@code close} (which closes them), on the loop thread, and waits
     * for it. A channel registered with a selector frees its socket only once the selector has dropped the key, so
     * when this returns the ports can be bound again. Should the loop not get to it in time, {@code close} runs on
     * the caller's thread as well, so it must be idempotent.
     */
    public void release(Runnable close, DatagramChannel... channels) {
        boolean released = runOnLoop(() -> {
            try {
                for (DatagramChannel channel : channels) {
                    SelectionKey key = channel.keyFor(selector);
                    if (key != null) {
                        key.cancel();
                    }
                }
                if (selector.isOpen()) {
                    selector.selectNow(onReady); // drops the cancelled keys
                }
            } catch (IOException e) {
                log.warn("selectNow failed while releasing channels; closing them anyway", e);
            } finally {
                close.run();
            }
        });
        if (!released) {
            close.run();
        }
    }

    /** Datagrams lost because the socket reported an error on receive (e.g. an ICMP unreachable). */
    public long receiveErrors() {
        return receiveErrors;
    }

    /** Datagrams whose receiver threw. */
    public long receiverFailures() {
        return receiverFailures;
    }

    /**
     * Runs the task on the loop thread and waits for it; directly when already there or the loop has stopped.
     *
     * @return false when the task did not finish in time, or the wait was interrupted
     */
    private boolean runOnLoop(Runnable task) {
        if (Thread.currentThread() == thread || !running) {
            task.run();
            return true;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                task.run();
            } finally {
                done.complete(null);
            }
        });
        selector.wakeup();
        try {
            done.get(RELEASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{} did not run a release task within {} s", thread.getName(), RELEASE_TIMEOUT_SECONDS, e);
            return false;
        }
    }

    private void run() {
        while (running) {
            try {
                runTasks();
                selector.select(onReady, 1000);
            } catch (IOException | RuntimeException e) {
                if (running) {
                    log.error("{} failed a round; continuing", thread.getName(), e);
                }
            }
        }
        runTasks(); // release tasks queued while stopping still close their channels
        try {
            selector.close();
        } catch (IOException e) {
            log.warn("closing the selector of {} failed", thread.getName(), e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /**
     * Reads a ready channel: one datagram while it is quiet, up to {@link #DRAIN_BUDGET} while it is backlogged. At
     * RTP's pace (one packet per port per 20 ms) a channel holds one datagram when the selector reports it, and a
     * second receive would only fail, costing a system call per packet; a channel that held more than one last time
     * is drained, which spares a select per datagram under load. The budget keeps a flooded port from starving the
     * rest (the selector is level-triggered: what is left is ready again next round), and every
     * {@link #PROBE_EVERY}th read of a quiet channel tries a second datagram so a channel that becomes busy is seen.
     */
    private void onReady(SelectionKey key) {
        Registration registration = (Registration) key.attachment();
        DatagramChannel channel = (DatagramChannel) key.channel();
        int budget = registration.backlogged ? DRAIN_BUDGET
                : (++registration.quietReads & (PROBE_EVERY - 1)) == 0 ? 2 : 1;
        int read = 0;
        while (read < budget && receiveOne(channel, registration.receiver)) {
            read++;
        }
        registration.backlogged = read > 1;
    }

    /** Receives and hands on one datagram; false when none was queued or the channel failed. */
    private boolean receiveOne(DatagramChannel channel, DatagramReceiver receiver) {
        InetSocketAddress from;
        rx.clear();
        try {
            from = (InetSocketAddress) channel.receive(rx);
        } catch (IOException e) {
            // an ICMP port unreachable surfaces here on some platforms, a channel closed meanwhile too
            receiveErrors++;
            return false;
        }
        if (from == null) {
            return false;
        }
        rx.flip();
        try {
            receiver.receive(rx, from);
        } catch (RuntimeException e) {
            long failures = ++receiverFailures;
            // a receiver that throws on every packet would log 50 lines a second per port: log at powers of two
            if (Long.bitCount(failures) == 1) {
                log.error("datagram receiver {} failed ({} failures on {} so far)", receiver, failures,
                        thread.getName(), e);
            }
        }
        return true;
    }

    /** A registered channel's receiver and how busy the channel was when last read (loop thread only). */
    private static final class Registration {
        final DatagramReceiver receiver;
        boolean backlogged;
        int quietReads;

        Registration(DatagramReceiver receiver) {
            this.receiver = receiver;
        }
    }

    /** Stops the thread; channels still registered stay open (their owners close them). */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
