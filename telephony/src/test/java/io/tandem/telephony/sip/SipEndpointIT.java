package io.tandem.telephony.sip;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.ToHeader;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SipEndpointIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private SipEndpoint server;
    private SipEndpoint client;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void ephemeralPortIsSharedByUdpAndTcpAndTwoStacksCoexist() throws Exception {
        server = SipEndpoint.open(LOOPBACK, 0, "test", e -> { });
        client = SipEndpoint.open(LOOPBACK, 0, "test", e -> { });
        assertThat(server.port()).isPositive().isNotEqualTo(client.port());
        assertThat(server.stackName()).isNotEqualTo(client.stackName());
        // Both transports hold the port: binding it again fails for UDP and for TCP.
        assertThatThrownBy(() -> new DatagramSocket(new InetSocketAddress(LOOPBACK, server.port())).close())
                .isInstanceOf(java.net.SocketException.class);
        assertThatThrownBy(() -> new ServerSocket(server.port(), 1, LOOPBACK).close())
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void answersOptionsOverUdpAndTcpAndSurvivesGarbage() throws Exception {
        server = SipEndpoint.open(LOOPBACK, 0, "tandem-test", event -> {
            if (!Request.ACK.equals(event.getRequest().getMethod())) {
                serverRespond(event, 200);
            }
        });
        BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        client = SipEndpoint.open(LOOPBACK, 0, "tandem-test", new SipHandler() {
            @Override
            public void onRequest(RequestEvent event) {
            }

            @Override
            public void onResponse(ResponseEvent event) {
                responses.add(event.getResponse());
            }
        });

        for (String transport : new String[] {"udp", "tcp"}) {
            sendOptions(transport);
            Response r = responses.poll(30, TimeUnit.SECONDS);
            assertThat(r).as("200 over " + transport).isNotNull();
            assertThat(r.getStatusCode()).isEqualTo(200);
        }

        long before = server.droppedMalformed();
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] garbage = "OPTIONS sip:x SIP/2.0\r\nVia: ???\r\nCSeq: banana\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            raw.send(new DatagramPacket(garbage, garbage.length, LOOPBACK, server.port()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.droppedMalformed() == before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.droppedMalformed()).isGreaterThan(before);

        sendOptions("udp");
        Response after = responses.poll(30, TimeUnit.SECONDS);
        assertThat(after).isNotNull();
        assertThat(after.getStatusCode()).isEqualTo(200);
    }

    /**
     * UDP datagrams are read into one buffer the receiver keeps (not a fresh 64 kB array each): a datagram of 40 kB
     * arrives whole, and the small one after it is not read with the large one's leftover bytes.
     */
    @Test
    void aLargeDatagramAndASmallOneAfterItAreEachReadWhole() throws Exception {
        List<Integer> paddings = new java.util.concurrent.CopyOnWriteArrayList<>();
        server = SipEndpoint.open(LOOPBACK, 0, "tandem-test", event -> {
            javax.sip.header.Header padding = event.getRequest().getHeader("X-Padding");
            paddings.add(padding == null ? 0 : ((javax.sip.header.ExtensionHeader) padding).getValue().length());
            serverRespond(event, 200);
        });
        List<String> large = RawSip.udp(server.port(), options("large", 40_000), java.time.Duration.ofSeconds(30));
        List<String> small = RawSip.udp(server.port(), options("small", 0), java.time.Duration.ofSeconds(30));
        assertThat(large).last().satisfies(line -> assertThat(RawSip.status(line)).isEqualTo(200));
        assertThat(small).last().satisfies(line -> assertThat(RawSip.status(line)).isEqualTo(200));
        assertThat(paddings).containsExactly(40_000, 0);
    }

    /**
     * A stateless answer the caller keeps for retransmissions is sent as the caller encoded it (not encoded a second
     * time) to where the RI would send it: the request's source port by rport, not the Via's sent-by port.
     */
    @Test
    void aStatelessAnswerGoesOutAsEncodedToTheViaRport() throws Exception {
        server = SipEndpoint.open(LOOPBACK, 0, "tandem-test", event -> {
            Response response = server.messages().responseTo(event.getRequest(), 200);
            server.forgetPending(event.getRequest());
            server.respondStateless(response, response.toString().replaceFirst("SIP/2.0 200 OK", "SIP/2.0 200 Kept"));
        });
        List<String> answers = RawSip.udp(server.port(), options("kept", 0), java.time.Duration.ofSeconds(30));
        assertThat(answers).hasSize(1);
        assertThat(RawSip.status(answers.get(0))).isEqualTo(200);
        assertThat(RawSip.reason(answers.get(0))).isEqualTo("Kept");
    }

    /**
     * A BYE over UDP released once answered ({@link SipEndpoint#releaseAnswered}) is out of the table at once, but the
     * RI's Timer J task keeps the transaction itself for 32 s: it must not keep the ended dialog too, and with it the
     * INVITE's transaction and messages.
     */
    @Test
    void aReleasedByeTransactionLetsGoOfItsEndedDialog() throws Exception {
        BlockingQueue<ServerTransaction> released = new LinkedBlockingQueue<>();
        server = SipEndpoint.open(LOOPBACK, 0, "tandem-test", event -> {
            Request request = event.getRequest();
            if (Request.ACK.equals(request.getMethod())) {
                return;
            }
            try {
                ServerTransaction st = server.serverTransaction(event).orElseThrow();
                Response ok = server.messages().responseTo(request, 200);
                if (Request.INVITE.equals(request.getMethod())) {
                    server.provider().getNewDialog(st);
                    ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("callee");
                    ok.setHeader(server.headerFactory().createContactHeader(server.addressFactory().createAddress(
                            "<sip:callee@127.0.0.1:" + server.port() + ">")));
                }
                st.sendResponse(ok);
                if (Request.BYE.equals(request.getMethod()) && server.releaseAnswered(st)) {
                    released.add(st);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (DatagramSocket caller = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            caller.setSoTimeout(10_000);
            assertThat(exchange(caller, inDialog(caller, "INVITE", 1, "inv", null))).startsWith("SIP/2.0 200");
            send(caller, inDialog(caller, "ACK", 1, "ack", "callee"));
            assertThat(exchange(caller, inDialog(caller, "BYE", 2, "bye", "callee"))).startsWith("SIP/2.0 200");
        }
        ServerTransaction bye = released.poll(10, TimeUnit.SECONDS);
        assertThat(bye).as("the BYE's transaction released").isNotNull();
        assertThat(bye.getDialog()).as("the released transaction's dialog").isNull();
    }

    /** A request of the call "released" from a raw UDP caller; {@code toTag} null before the dialog exists. */
    private String inDialog(DatagramSocket caller, String method, int cseq, String branch, String toTag) {
        int port = caller.getLocalPort();
        return method + " sip:callee@127.0.0.1:" + server.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=caller\r\n"
                + "To: <sip:callee@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: released@tandem.test\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:caller@127.0.0.1:" + port + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private void send(DatagramSocket caller, String message) throws java.io.IOException {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        caller.send(new DatagramPacket(bytes, bytes.length, LOOPBACK, server.port()));
    }

    /** Sends {@code message} and returns the first final answer to it. */
    private String exchange(DatagramSocket caller, String message) throws java.io.IOException {
        send(caller, message);
        byte[] buffer = new byte[65_535];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            caller.receive(packet);
            String answer = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
            if (!answer.startsWith("SIP/2.0 1")) {
                return answer;
            }
        }
    }

    private static byte[] options(String callId, int padding) {
        String message = "OPTIONS sip:server@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:client@tandem.test>;tag=" + callId + "\r\n"
                + "To: <sip:server@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "@tandem.test\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + (padding > 0 ? "X-Padding: " + "p".repeat(padding) + "\r\n" : "")
                + "Content-Length: 0\r\n\r\n";
        return message.getBytes(StandardCharsets.US_ASCII);
    }

    private void serverRespond(RequestEvent event, int status) {
        server.respond(event, server.messages().responseTo(event.getRequest(), status));
    }

    private void sendOptions(String transport) throws Exception {
        SipMessages m = client.messages();
        SipURI target = m.addresses().createSipURI("server", LOOPBACK.getHostAddress());
        target.setPort(server.port());
        target.setTransportParam(transport);
        Address from = m.addresses().createAddress(m.addresses().createSipURI("client", "tandem.test"));
        Request options = m.outOfDialog(Request.OPTIONS, target, from, SipMessages.newToken(),
                m.addresses().createAddress(target), null, 1, transport, "client");
        ClientTransaction tx = client.provider().getNewClientTransaction(options);
        tx.sendRequest();
    }
}
