package io.tandem.backend.node;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The addresses other nodes and phones use to reach this node. */
public final class NodeAddresses {

    private final String host;
    private final int sipPort;

    public NodeAddresses(SipProperties sip) {
        this(sip, sip.udpPort());
    }

    /** With the port the SIP endpoint actually bound (differs from the property when that is 0). */
    public NodeAddresses(SipProperties sip, int sipPort) {
        this.sipPort = sipPort;
        this.host = advertisedHost(sip);
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
