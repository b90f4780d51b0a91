package io.tandem.telephony.peers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ctrl_tcp connection to one baresip: commands go out as netstrings (D. J. Bernstein's
 * "len:payload,") holding JSON {@code {"command":..,"params":..,"token":..}}; responses
 * ({@code "response":true}, matched by token) and events ({@code "event":true}) come back on the
 * same socket, read by one daemon thread.
 */
final class BaresipControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BaresipControl.class);
    /** Bounds what one misbehaving peer can make us buffer. */
    private static final int MAX_MESSAGE = 1 << 20;
    private static final int MAX_EVENTS = 10_000;

    private final Socket socket;
    private final OutputStream out;
    private final String name;
    private final AtomicInteger tokens = new AtomicInteger();
    private final Map<String, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Guarded by {@link #lock}: every event in arrival order, and how many awaitEvent calls consumed. */
    private final List<BaresipEvent> events = new ArrayList<>();
    private final List<Boolean> consumed = new ArrayList<>();
    private volatile String readerFailure;

    private BaresipControl(Socket socket, String name) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.name = name;
        Thread reader = new Thread(this::readLoop, "baresip-ctrl-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    static BaresipControl connect(int port, String name) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        s.setTcpNoDelay(true);
        return new BaresipControl(s, name);
    }

    /** Sends a command and waits for its response; returns the response's {@code data} text. */
    String command(String command, String params, Duration timeout) {
        String token = "t" + tokens.incrementAndGet();
        CompletableFuture<Map<String, Object>> response = new CompletableFuture<>();
        pending.put(token, response);
        String json = "{\"command\":" + MiniJson.quote(command)
                + (params != null ? ",\"params\":" + MiniJson.quote(params) : "")
                + ",\"token\":" + MiniJson.quote(token) + "}";
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (out) {
                out.write((payload.length + ":").getBytes(StandardCharsets.US_ASCII));
                out.write(payload);
                out.write(',');
                out.flush();
            }
            Map<String, Object> r = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String data = r.get("data") == null ? "" : r.get("data").toString();
            if (!Boolean.TRUE.equals(r.get("ok"))) {
                throw new IllegalStateException(name + ": command " + command + " " + params + " failed: " + data);
            }
            return data;
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot send " + command + " over ctrl_tcp: " + e, e);
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": no response to " + command + " within " + timeout.toMillis() + " ms"
                    + (readerFailure != null ? " (" + readerFailure + ")" : ""));
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": " + command + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + command);
        } finally {
            pending.remove(token);
        }
    }

    /**
     * The first event matching {@code filter} that no earlier call returned, waiting up to
     * {@code timeout}; empty at the deadline.
     */
    Optional<BaresipEvent> next(Predicate<BaresipEvent> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int from = 0;
            while (true) {
                for (int i = from; i < events.size(); i++) {
                    if (!consumed.get(i) && filter.test(events.get(i))) {
                        consumed.set(i, true);
                        return Optional.of(events.get(i));
                    }
                }
                from = events.size();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                arrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Every event so far, in arrival order. */
    List<BaresipEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    private void readLoop() {
        try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
            while (true) {
                String message = readNetstring(in);
                if (message == null) {
                    return;
                }
                dispatch(message);
            }
        } catch (IOException | RuntimeException e) {
            if (!socket.isClosed()) {
                readerFailure = "ctrl_tcp read failed: " + e;
                LOG.warn("{}: {}", name, readerFailure);
            }
        } finally {
            pending.values().forEach(f -> f.completeExceptionally(new IOException("ctrl_tcp connection closed")));
        }
    }

    private void dispatch(String message) {
        Map<String, Object> json;
        try {
            json = MiniJson.parseObject(message);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignoring unreadable ctrl_tcp message: {}", name, message);
            return;
        }
        if (Boolean.TRUE.equals(json.get("response"))) {
            Object token = json.get("token");
            CompletableFuture<Map<String, Object>> f = token == null ? null : pending.get(token.toString());
            if (f != null) {
                f.complete(json);
            }
        } else if (Boolean.TRUE.equals(json.get("event"))) {
            BaresipEvent event = BaresipEvent.from(json);
            LOG.debug("{}: event {}", name, event);
            lock.lock();
            try {
                if (events.size() < MAX_EVENTS) {
                    events.add(event);
                    consumed.add(false);
                }
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Reads "len:payload," or returns null at end of stream. */
    private static String readNetstring(InputStream in) throws IOException {
        int length = 0;
        int digits = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == ':') {
                break;
            }
            if (c < '0' || c > '9' || ++digits > 7) {
                throw new IOException("bad netstring length byte " + c);
            }
            length = length * 10 + (c - '0');
        }
        if (digits == 0 || length > MAX_MESSAGE) {
            throw new IOException("bad netstring length " + length);
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length != length || in.read() != ',') {
            throw new IOException("truncated netstring");
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("{}: closing ctrl_tcp: {}", name, e.toString());
        }
    }
}
