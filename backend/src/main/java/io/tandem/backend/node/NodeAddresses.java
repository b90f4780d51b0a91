package io.tandem.backend.node;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The addresses other nodes and phones use to reach this node. */
public final class NodeAddresses {

    private final String host;
    private final int sipPort;
    private final int tlsPort;

    public NodeAddresses(SipProperties sip) {
        this(sip, sip.udpPort(), sip.tlsPort());
    }

    /** With the port the SIP endpoint actually bound (differs from the property when that is 0). */
    public NodeAddresses(SipProperties sip, int sipPort) {
        this(sip, sipPort, sip.tlsPort());
    }

    /** With the UDP/TCP and TLS ports the SIP endpoint actually bound. */
    public NodeAddresses(SipProperties sip, int sipPort, int tlsPort) {
        this.sipPort = sipPort;
        this.tlsPort = tlsPort;
        this.host = advertisedHost(sip);
    }

    /** The SIP over TLS port, 0 when the node has none. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The port phones reach this node at over {@code transport}: the TLS one for TLS, else {@link #sipPort()}. */
    public int sipPort(String transport) {
        return "tls".equalsIgnoreCase(transport) && tlsPort != 0 ? tlsPort : sipPort;
    }

    /** The SIP port (UDP and TCP) this node listens on. */
    public int sipPort() {
        return sipPort;
    }

    /** Host written into Contact/SDP and the membership record. */
    public String host() {
        return host;
    }

    /** {@code sip:host:port} of the UDP/TCP listening points. */
    public String sipUri() {
        return "sip:" + bracket(host) + ":" + sipPort;
    }

    /** {@code http://host:port} for a given HTTP port. */
    public String httpUrl(int port) {
        return "http://" + bracket(host) + ":" + port;
    }

    static String advertisedHost(SipProperties sip) {
        if (!sip.publicAddress().isBlank()) {
            return sip.publicAddress();
        }
        String bind = sip.bindAddress();
        if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
            return bind;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
    }

    private static String bracket(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
