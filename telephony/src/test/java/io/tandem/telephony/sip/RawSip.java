package io.tandem.telephony.sip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte-exact SIP peer for tests: sends raw messages over UDP or TCP and returns the responses'
 * status lines, so tests see exactly what went over the wire (no stack in between).
 */
public final class RawSip {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private RawSip() {
    }

    /** Sends {@code message} by UDP and collects the status lines answered within {@code wait}. */
    public static List<String> udp(int port, byte[] message, Duration wait) throws IOException {
        List<String> statusLines = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.send(new DatagramPacket(message, message.length, LOOPBACK, port));
            long deadline = System.nanoTime() + wait.toNanos();
            byte[] buf = new byte[65535];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) left);
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
                statusLines.add(text.lines().findFirst().orElse(""));
                if (isFinal(statusLines.get(statusLines.size() - 1))) {
                    break;
                }
            }
        }
        return statusLines;
    }

    /** Sends {@code message} on a new TCP connection and collects the status lines answered within {@code wait}. */
    public static List<String> tcp(int port, byte[] message, Duration wait) throws IOException {
        List<String> statusLines = new ArrayList<>();
        try (Socket socket = new Socket(LOOPBACK, port)) {
            socket.getOutputStream().write(message);
            socket.getOutputStream().flush();
            long deadline = System.nanoTime() + wait.toNanos();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) left);
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    break; // connection reset by the peer: whatever came is the answer
                }
                if (n < 0) {
                    break;
                }
                received.write(buf, 0, n);
                List<String> lines = statusLinesIn(received.toString(StandardCharsets.ISO_8859_1));
                if (!lines.isEmpty() && isFinal(lines.get(lines.size() - 1))) {
                    statusLines.addAll(lines);
                    return statusLines;
                }
            }
            statusLines.addAll(statusLinesIn(received.toString(StandardCharsets.ISO_8859_1)));
        }
        return statusLines;
    }

    private static List<String> statusLinesIn(String stream) {
        List<String> lines = new ArrayList<>();
        for (String line : stream.split("\r\n")) {
            if (line.startsWith("SIP/2.0 ")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The status code of a status line, or -1. */
    public static int status(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The reason phrase of a status line, or empty. */
    public static String reason(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        return parts.length == 3 ? parts[2] : "";
    }

    private static boolean isFinal(String statusLine) {
        return status(statusLine) >= 200;
    }
}
