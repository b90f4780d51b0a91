package io.tandem.backend.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIP over TLS at the edge (RFC 3261 §26.2): a phone connects with TLS, trusting the edge's certificate (the
 * self-signed one made as {@code ./tandem edge --tls-port} makes it); the edge answers its keep-alive and relays
 * its REGISTER to a node over plain SIP, whose digest challenge comes back over the same TLS connection.
 */
class EdgeTlsIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final int READ_TIMEOUT_MS = 30_000;

    @Test
    void aPhoneOverTlsReachesANodeThroughTheEdge() throws Exception {
        int rtp = FreePorts.alignedBlock(20);
        try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=edge-tls",
                "tandem.node.cluster-secret=edge-tls-cluster-secret-0123456789", "tandem.sip.rtp-port-min=" + rtp,
                "tandem.sip.rtp-port-max=" + (rtp + 19));
             EdgeProcess edge = EdgeProcess.start(List.of(node.sipPort()), true);
             SSLSocket tls = connect(edge)) {
            tls.startHandshake();
            assertThat(tls.getSession().getProtocol()).startsWith("TLSv1.");
            OutputStream out = tls.getOutputStream();
            InputStream in = tls.getInputStream();
            String target = "sip:127.0.0.1:" + edge.tlsPort();

            out.write(request("OPTIONS", target, "<" + target + ">", "tls-keepalive", "").getBytes(
                    StandardCharsets.US_ASCII));
            assertThat(readMessage(in)).startsWith("SIP/2.0 200").contains("Call-ID: tls-keepalive");

            // The REGISTER crosses to the node over UDP; its 401 comes back on this connection.
            out.write(request("REGISTER", target, "<sip:1001@127.0.0.1>", "tls-register",
                    "Contact: <sip:1001@127.0.0.1:5999;transport=tls>\r\nExpires: 60\r\n").getBytes(
                            StandardCharsets.US_ASCII));
            String challenge = readMessage(in);
            assertThat(challenge).startsWith("SIP/2.0 401").contains("Call-ID: tls-register");
            assertThat(challenge.toLowerCase(Locale.ROOT)).contains("www-authenticate: digest");
        } finally {
            FreePorts.release(rtp, 20);
        }
    }

    /** A TLS connection that trusts exactly the edge's certificate. */
    private static SSLSocket connect(EdgeProcess edge) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(edge.certificate())) {
            trusted.setCertificateEntry("edge", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(EdgeProcess.ADDRESS, edge.tlsPort());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    private static String request(String method, String uri, String to, String callId, String extra) {
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:1001@127.0.0.1>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + extra
                + "User-Agent: Tandem test\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** One SIP message off a stream: the head up to the blank line, then Content-Length bytes of body. */
    private static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the edge closed the connection after: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }
}
