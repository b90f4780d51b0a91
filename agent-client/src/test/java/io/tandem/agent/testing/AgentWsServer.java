package io.tandem.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.protocol.Envelope;
import io.tandem.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The node side of the agent WebSocket ({@code /ws/agent}) as the protocol module documents it, for UI tests until
 * the agent API is on main: an RFC 6455 server (handshake §4.2, frames §5) on a loopback port that checks the bearer
 * token, answers pings with pongs, records what the client sends and lets the test push envelopes (offers, state,
 * queue figures). {@link #mute()} stops the pongs: a node that hangs without closing its connections.
 */
public final class AgentWsServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final String token;
    private final ObjectMapper json = Protocol.mapper();
    public final BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
    private volatile Socket client;
    private volatile boolean muted;

    public AgentWsServer(String token) throws IOException {
        this.token = token;
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "test-ws-accept");
        t.setDaemon(true);
        t.start();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public boolean connected() {
        Socket c = client;
        return c != null && !c.isClosed();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "test-ws-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String request = readHead(in);
            String key = header(request, "sec-websocket-key");
            String auth = header(request, "authorization");
            OutputStream out = socket.getOutputStream();
            if (!request.startsWith("GET /ws/agent") || key == null || !("Bearer " + token).equals(auth)) {
                out.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            // Under push()'s lock: a client that has seen the 101 may push at once, and must find itself connected.
            synchronized (this) {
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                client = socket;
            }
            readFrames(new DataInputStream(in));
        } catch (IOException | NoSuchAlgorithmException e) {
            // the client went away
        }
    }

    private void readFrames(DataInputStream in) throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            int opcode = b0 & 0x0f;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((b1 & 0x80) != 0) {
                in.readFully(mask); // RFC 6455 §5.3: client frames are masked
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            if (opcode == 0x8) {
                return;
            }
            if (opcode == 0x1) {
                Envelope envelope = json.readValue(payload, Envelope.class);
                received.add(envelope);
                if (envelope.type().equals(io.tandem.protocol.MessageType.PING) && !muted) {
                    push(io.tandem.protocol.MessageType.PONG, null);
                }
            }
        }
    }

    /** From now on the node says nothing, not even pong, and keeps its connections open (a hung node). */
    public void mute() {
        muted = true;
    }

    /** Sends one envelope of {@code type} around {@code payload} to the connected client. */
    public synchronized void push(String type, Object payload) throws IOException {
        Socket c = client;
        if (c == null) {
            throw new IllegalStateException("no client connected");
        }
        byte[] text = json.writeValueAsBytes(Envelope.of(json, type, "", Instant.now(), payload));
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (text.length < 126) {
            frame.write(text.length);
        } else {
            frame.write(126);
            frame.write(text.length >> 8);
            frame.write(text.length & 0xff);
        }
        frame.write(text);
        OutputStream out = c.getOutputStream();
        out.write(frame.toByteArray());
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket c = client;
        if (c != null) {
            c.close();
        }
    }
}
