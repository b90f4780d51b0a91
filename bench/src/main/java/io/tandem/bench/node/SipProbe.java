package io.tandem.bench.node;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Whether something answers SIP on a loopback UDP port: an OPTIONS, any response counts. */
public final class SipProbe {
    private SipProbe() {
    }

    public static boolean answers(int port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(1000);
            int local = socket.getLocalPort();
            String options = "OPTIONS sip:probe@127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=z9hG4bK-probe-" + System.nanoTime() + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:probe@127.0.0.1>\r\n"
                    + "Call-ID: probe-" + System.nanoTime() + "@127.0.0.1\r\nCSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
            byte[] buffer = new byte[4096];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            return new String(buffer, 0, answer.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 ");
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Polls until the port answers; fails with the program's log tail when it dies or takes too long. */
    public static void awaitAnswer(int port, ChildProcess program, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!program.isAlive()) {
                throw new IOException(program + " exited:\n" + program.tail(30));
            }
            if (answers(port)) {
                return;
            }
        }
        throw new IOException(program + " does not answer SIP on port " + port + " after " + seconds + " s:\n"
                + program.tail(30));
    }
}
