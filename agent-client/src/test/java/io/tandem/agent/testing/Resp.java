package io.tandem.agent.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The two Redis commands a softphone test needs to play the callback service (PUBLISH on the tenant's live channel,
 * HGET of the agent hash), spoken in RESP over a loopback socket: the agent client has no Redis client of its own.
 */
public final class Resp implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    public Resp(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** PUBLISH; how many subscribers (nodes) received it. */
    public long publish(String channel, String message) throws IOException {
        command("PUBLISH", channel, message);
        return Long.parseLong(expect(':'));
    }

    /** HGET; null when the field is absent. */
    public String hget(String key, String field) throws IOException {
        command("HGET", key, field);
        int length = Integer.parseInt(expect('$'));
        if (length < 0) {
            return null;
        }
        byte[] value = in.readNBytes(length + 2);
        return new String(value, 0, length, StandardCharsets.UTF_8);
    }

    private void command(String... parts) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.writeBytes(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buffer.writeBytes(bytes);
            buffer.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(buffer.toByteArray());
        out.flush();
    }

    private String expect(char type) throws IOException {
        String line = line();
        if (line.isEmpty() || line.charAt(0) != type) {
            throw new IOException("Redis answered '" + line + "', expected a '" + type + "' reply");
        }
        return line.substring(1);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        in.read(); // \n
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
