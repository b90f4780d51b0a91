package io.tandem.bench.callback;

import io.tandem.bench.node.BenchUsers;
import io.tandem.callback.MockApns;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipHandler;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's phone app as the bench needs it: it REGISTERs with RFC 8599 push parameters (APNs, a token of its own)
 * and then sleeps; woken by a push, it REGISTERs again from the same contact, and it answers at once every INVITE
 * the node sends it (the call into the room), with a G.711 SDP whose RTP port is a socket it never reads. BYE is
 * answered. Reduced to what the measurement touches; a real app would also play the room's audio.
 */
final class SleepingDevice implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SleepingDevice.class);

    private final String user;
    private final String password;
    private final String token;
    private final int nodePort;
    private final SipEndpoint endpoint;
    private final DatagramSocket rtp;
    private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    private final String callId = SipMessages.newToken() + "@bench-device";
    private final String tag = SipMessages.newToken();
    private final AtomicInteger invitesAnswered = new AtomicInteger();
    private long cseq;

    SleepingDevice(int benchUser, int nodePort) throws IOException {
        this.user = BenchUsers.extension(benchUser);
        this.password = BenchUsers.password(benchUser);
        this.token = token(benchUser);
        this.nodePort = nodePort;
        this.rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.endpoint = SipEndpoint.open(InetAddress.getLoopbackAddress(), 0, "tandem-bench-device/1.0",
                new SipHandler() {
                    @Override
                    public void onRequest(RequestEvent event) {
                        answer(event);
                    }

                    @Override
                    public void onResponse(ResponseEvent event) {
                        if (event.getResponse().getStatusCode() >= 200) {
                            responses.add(event.getResponse());
                        }
                    }
                });
    }

    /** The APNs device token of a bench user: 64 hex digits. */
    static String token(int benchUser) {
        return HexFormat.of().formatHex(String.format("bench-device-%019d", benchUser)
                .getBytes(StandardCharsets.US_ASCII));
    }

    String user() {
        return user;
    }

    String token() {
        return token;
    }

    int invitesAnswered() {
        return invitesAnswered.get();
    }

    /**
     * REGISTER (digest) with the push parameters in the Contact (RFC 8599 §4.1: pn-provider, pn-prid, pn-param) and
     * a +sip.instance, so each REGISTER replaces the device's binding; returns once the 200 came.
     */
    void register() throws Exception {
        Response first = send(request(null));
        if (first.getStatusCode() == 401) {
            Header challenge = first.getHeader("WWW-Authenticate");
            String value = challenge.toString().trim();
            DigestChallenge parsed = DigestChallenge.parse(value.substring(value.indexOf(':') + 1).trim());
            String uri = "sip:127.0.0.1:" + nodePort;
            first = send(request(new DigestClient().authorization(parsed, Request.REGISTER, uri, user, password)));
        }
        if (first.getStatusCode() != 200) {
            throw new IOException(user + ": REGISTER answered " + first.getStatusCode() + " "
                    + first.getReasonPhrase());
        }
    }

    private Request request(String authorization) throws Exception {
        SipMessages m = endpoint.messages();
        Address aor = m.addresses().createAddress("sip:" + user + "@127.0.0.1");
        Request request = m.outOfDialog(Request.REGISTER, m.addresses().createURI("sip:127.0.0.1:" + nodePort), aor,
                tag, aor, callId, ++cseq, "udp", null);
        request.removeHeader(ContactHeader.NAME);
        request.addHeader(m.headers().createHeader(ContactHeader.NAME, "<sip:" + user + "@127.0.0.1:"
                + endpoint.port() + ";pn-provider=apns;pn-prid=" + token + ";pn-param=" + MockApns.PN_PARAM
                + ">;+sip.instance=\"<urn:uuid:00000000-0000-4000-8000-" + String.format("%012d",
                        Long.parseLong(user)) + ">\""));
        request.setHeader(m.headers().createExpiresHeader(3600));
        if (authorization != null) {
            request.setHeader(m.headers().createHeader("Authorization", authorization));
        }
        return request;
    }

    private Response send(Request request) throws Exception {
        endpoint.provider().getNewClientTransaction(request).sendRequest();
        Response response = responses.poll(20, TimeUnit.SECONDS);
        if (response == null) {
            throw new IOException(user + ": no final response to REGISTER within 20 s");
        }
        return response;
    }

    /** INVITE: 200 with our SDP at once; BYE, CANCEL, OPTIONS: 200; ACK: nothing. */
    private void answer(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return;
        }
        SipMessages m = endpoint.messages();
        try {
            if (Request.INVITE.equals(method)) {
                Response ok = m.responseTo(request, Response.OK, "OK", SipMessages.newToken());
                ok.addHeader(m.contact(user, "udp"));
                m.setBody(ok, "application/sdp", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                        + "t=0 0\r\nm=audio " + rtp.getLocalPort() + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
                        + "a=sendrecv\r\n");
                endpoint.respond(event, ok);
                invitesAnswered.incrementAndGet();
            } else {
                endpoint.respond(event, m.responseTo(request, Response.OK));
            }
        } catch (RuntimeException e) {
            log.warn("{}: cannot answer {}: {}", user, method, e.getMessage());
        }
    }

    /** Closes {@code devices} side by side: a SIP stack takes a while to stop, and a full run has 200 of them. */
    static void closeAll(List<SleepingDevice> devices) {
        ExecutorService closing = Executors.newFixedThreadPool(32);
        devices.forEach(device -> closing.execute(device::close));
        closing.shutdown();
        try {
            if (!closing.awaitTermination(2, TimeUnit.MINUTES)) {
                log.warn("{} devices still closing after 2 minutes", devices.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        endpoint.close();
        rtp.close();
    }
}
