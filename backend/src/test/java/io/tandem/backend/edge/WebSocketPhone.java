package io.tandem.backend.edge;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * SIP over a secure WebSocket (RFC 7118) as a browser speaks it, written by hand: a {@code wss://} connection with
 * the {@code sip} subprotocol, trusting exactly the edge's certificate; one SIP message per text frame. For what a
 * browser's SIP library sends (a Contact on an invented {@code .invalid} host) without a browser.
 */
final class WebSocketPhone implements WebSocket.Listener, AutoCloseable {

    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"?([^\",]*)\"?");

    private final String extension;
    private final String domain;
    private final String contact;
    private final WebSocket socket;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private int cseq;

    private WebSocketPhone(String extension, String domain, Path certificate, int port) throws Exception {
        this.extension = extension;
        this.domain = domain;
        this.contact = "<sip:" + UUID.randomUUID().toString().substring(0, 8) + "@" + UUID.randomUUID()
                .toString().substring(0, 8) + ".invalid;transport=ws>";
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
        this.socket = client.newWebSocketBuilder().subprotocols("sip").connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("wss://" + EdgeProcess.ADDRESS + ":" + port), this)
                .get(30, TimeUnit.SECONDS);
    }

    /**
     * Connects to the edge's WSS port as {@code extension}; its domain is the edge's WSS address (a URI without a
     * port would name port 5060, which is not the edge's).
     */
    static WebSocketPhone connect(EdgeProcess edge, String extension) throws Exception {
        return new WebSocketPhone(extension, EdgeProcess.ADDRESS + ":" + edge.wssPort(), edge.certificate(),
                edge.wssPort());
    }

    /** The subprotocol the edge agreed to (RFC 7118 §4: "sip"). */
    String subprotocol() {
        return socket.getSubprotocol();
    }

    /** REGISTERs, answers the digest challenge (RFC 2617, MD5, qop auth when offered) and returns the final reply. */
    String register(String password) throws Exception {
        String callId = "ws-register-" + UUID.randomUUID();
        String fromTag = UUID.randomUUID().toString().substring(0, 8);
        send(register(callId, fromTag, ""));
        String challenge = next(Duration.ofSeconds(30));
        if (!challenge.startsWith("SIP/2.0 401")) {
            return challenge;
        }
        send(register(callId, fromTag, authorization(header(challenge, "WWW-Authenticate"), password)));
        return next(Duration.ofSeconds(30));
    }

    private String register(String callId, String fromTag, String authorization) {
        String uri = "sip:" + domain;
        return "REGISTER " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS " + UUID.randomUUID().toString().substring(0, 8)
                + ".invalid;branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + extension + "@" + domain + ">;tag=" + fromTag + "\r\n"
                + "To: <sip:" + extension + "@" + domain + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + (++cseq) + " REGISTER\r\n"
                + "Contact: " + contact + ";expires=300\r\n"
                + authorization
                + "User-Agent: Tandem WebSocket test\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private String authorization(String challenge, String password) throws NoSuchAlgorithmException {
        String realm = param(challenge, "realm");
        String nonce = param(challenge, "nonce");
        String qop = param(challenge, "qop");
        String uri = "sip:" + domain;
        String ha1 = md5(extension + ":" + realm + ":" + password);
        String ha2 = md5("REGISTER:" + uri);
        String header = "Authorization: Digest username=\"" + extension + "\", realm=\"" + realm + "\", nonce=\""
                + nonce + "\", uri=\"" + uri + "\", algorithm=MD5";
        if (qop != null && qop.contains("auth")) {
            String cnonce = UUID.randomUUID().toString().substring(0, 8);
            return header + ", qop=auth, nc=00000001, cnonce=\"" + cnonce + "\", response=\""
                    + md5(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2) + "\"\r\n";
        }
        return header + ", response=\"" + md5(ha1 + ":" + nonce + ":" + ha2) + "\"\r\n";
    }

    private static String param(String header, String name) {
        Matcher m = PARAM.matcher(header);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return m.group(2);
            }
        }
        return null;
    }

    private static String md5(String text) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, digest));
    }

    /** The first value of header {@code name} in {@code message}, or null. */
    static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** A reply to {@code request}: its Via, From, Call-ID and CSeq copied, a To tag added (RFC 3261 §8.2.6.2). */
    static String reply(String request, int status, String reason) {
        StringBuilder reply = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String line : request.substring(0, request.indexOf("\r\n\r\n")).split("\r\n")) {
            String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT)
                    : "";
            switch (name) {
                case "via", "v", "from", "f", "call-id", "i", "cseq", "record-route" -> reply.append(line)
                        .append("\r\n");
                case "to", "t" -> reply.append(line).append(";tag=").append(UUID.randomUUID().toString(), 0, 8)
                        .append("\r\n");
                default -> {
                }
            }
        }
        return reply.append("Content-Length: 0\r\n\r\n").toString();
    }

    void send(String message) throws Exception {
        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
    }

    /** The next SIP message the edge sent, or an AssertionError after {@code wait}. */
    String next(Duration wait) throws InterruptedException {
        String message = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError(extension + " over WSS: nothing from the edge within " + wait);
        }
        return message;
    }

    /** The next request (not a reply) the edge sent, skipping replies and keep-alives. */
    String nextRequest(String method, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String message = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (message.startsWith(method + " ")) {
                return message;
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("edge", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() throws IOException {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        socket.abort();
    }
}
