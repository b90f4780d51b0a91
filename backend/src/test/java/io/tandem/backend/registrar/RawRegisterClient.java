package io.tandem.backend.registrar;

import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipHandler;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A phone reduced to its REGISTERs, for tests that need control over every header (nonce reuse, nc replay, odd
 * expiries, several contacts): one Call-ID, an increasing CSeq, responses awaited with a timeout.
 */
public final class RawRegisterClient implements AutoCloseable {

    private final SipEndpoint endpoint;
    private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    private final String user;
    private final String callId = SipMessages.newToken() + "@it";
    private final String tag = SipMessages.newToken();
    private long cseq;
    private int registrarPort;
    private String transport = "udp";
    private String domain = "127.0.0.1";

    public RawRegisterClient(String user, int registrarPort) throws IOException {
        this.user = user;
        this.registrarPort = registrarPort;
        this.endpoint = SipEndpoint.open(InetAddress.getLoopbackAddress(), 0, "raw-it/1.0", new SipHandler() {
            @Override
            public void onRequest(RequestEvent event) {
                // a registering phone gets no requests in these tests
            }

            @Override
            public void onResponse(ResponseEvent event) {
                if (event.getResponse().getStatusCode() >= 200) {
                    responses.add(event.getResponse());
                }
            }
        });
    }

    /** Sends the next REGISTERs to another node (same Call-ID: the same phone moving). */
    RawRegisterClient to(int port) {
        this.registrarPort = port;
        return this;
    }

    /** The next REGISTER carries CSeq {@code next} (to replay an old sequence number). */
    RawRegisterClient nextCseq(long next) {
        this.cseq = next - 1;
        return this;
    }

    /** The next REGISTERs are for {@code user@domain} (a tenant's domain) instead of the node's address. */
    RawRegisterClient domain(String domain) {
        this.domain = domain;
        return this;
    }

    RawRegisterClient tcp() {
        this.transport = "tcp";
        return this;
    }

    String registrarUri() {
        return "sip:127.0.0.1:" + registrarPort + ("tcp".equals(transport) ? ";transport=tcp" : "");
    }

    /** Our own contact URI. */
    public String contact() {
        return "sip:" + user + "@127.0.0.1:" + endpoint.port();
    }

    int port() {
        return endpoint.port();
    }

    /**
     * A REGISTER: {@code expires} &lt; 0 leaves the Expires header out; {@code contacts} as given ("*" for the
     * wildcard, {@code <uri>;params} for a whole Contact value), none for a query.
     */
    Request register(int expires, String... contacts) throws Exception {
        SipMessages m = endpoint.messages();
        Address aor = m.addresses().createAddress("sip:" + user + "@" + domain);
        Request request = m.outOfDialog(Request.REGISTER, m.addresses().createURI(registrarUri()), aor, tag, aor,
                callId, ++cseq, transport, null);
        for (String contact : contacts) {
            // "<uri>;param" is a whole Contact value with header parameters (+sip.instance, expires)
            Header header = "*".equals(contact) ? m.headers().createContactHeader()
                    : contact.startsWith("<") ? m.headers().createHeader(ContactHeader.NAME, contact)
                    : m.headers().createContactHeader(m.addresses().createAddress(contact));
            request.addHeader(header);
        }
        if (expires >= 0) {
            request.setHeader(m.headers().createExpiresHeader(expires));
        }
        return request;
    }

    /** Adds {@code Authorization} answering {@code challenge} with {@code digest} (which keeps the nc per nonce). */
    Request authorize(Request request, DigestChallenge challenge, DigestClient digest, String password)
            throws Exception {
        String value = digest.authorization(challenge, Request.REGISTER, request.getRequestURI().toString(), user,
                password);
        request.setHeader(endpoint.messages().headers().createHeader("Authorization", value));
        return request;
    }

    Response send(Request request) throws Exception {
        endpoint.provider().getNewClientTransaction(request).sendRequest();
        Response response = responses.poll(20, TimeUnit.SECONDS);
        if (response == null) {
            throw new AssertionError("no final response to " + request.getMethod() + " within 20 s");
        }
        return response;
    }

    /** The challenges of a 401, in order. */
    static List<DigestChallenge> challenges(Response response) {
        List<DigestChallenge> list = new ArrayList<>();
        ListIterator<?> it = response.getHeaders("WWW-Authenticate");
        while (it.hasNext()) {
            list.add(DigestChallenge.parse(Registrar.headerValue((Header) it.next())));
        }
        return list;
    }

    /** Contact URIs (without parameters) and their expires in a 200. */
    static List<String> contacts(Response response) {
        List<String> list = new ArrayList<>();
        ListIterator<?> it = response.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            ContactHeader contact = (ContactHeader) it.next();
            SipURI uri = (SipURI) contact.getAddress().getURI();
            list.add(uri + ";expires=" + contact.getExpires());
        }
        return list;
    }

    /** REGISTER, answer the challenge with the right password, return the 200 (or whatever came). */
    public Response registerWithPassword(String password, int expires, String... contacts) throws Exception {
        Response challenge = send(register(expires, contacts));
        if (challenge.getStatusCode() != 401) {
            return challenge;
        }
        Request request = register(expires, contacts);
        return send(authorize(request, challenges(challenge).get(0), new DigestClient(), password));
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
