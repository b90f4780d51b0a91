package io.tandem.backend.acd;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.protocol.Envelope;
import io.tandem.protocol.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client as the softphone would use it (java.net.http), collecting envelopes; public because the
 * queue-call ITs watch {@code /ws/supervisor} with it too.
 */
public final class WsClient implements AutoCloseable {

    static final ObjectMapper JSON = Protocol.mapper();

    private final BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private WsClient(URI uri, String authorization) throws Exception {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        received.add(JSON.readValue(partial.toString(), Envelope.class));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(15, TimeUnit.SECONDS);
    }

    public static WsClient connect(int port, String pathAndQuery, String authorization) throws Exception {
        return new WsClient(URI.create("ws://127.0.0.1:" + port + pathAndQuery), authorization);
    }

    void send(Envelope envelope) throws Exception {
        socket.sendText(JSON.writeValueAsString(envelope), true).get(10, TimeUnit.SECONDS);
    }

    /** The next envelope that matches, skipping others; fails after the timeout. */
    public Envelope next(Predicate<Envelope> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Envelope e = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching message within " + timeout.toSeconds() + " s");
            }
            if (matching.test(e)) {
                return e;
            }
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        socket.abort();
    }
}
