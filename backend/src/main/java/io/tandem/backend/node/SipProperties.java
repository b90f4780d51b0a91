package io.tandem.backend.node;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * SIP and RTP addressing of this node ({@code tandem.sip.*}). Opened by {@code node.sip.SipConfiguration}.
 *
 * @param bindAddress   local address the SIP listening points and RTP sockets bind to
 * @param udpPort       SIP over UDP (RFC 3261 §18: default 5060); 0 = an ephemeral port (tests)
 * @param tcpPort       SIP over TCP; the endpoint listens on one port for both transports, so it must equal
 *                      {@code udp-port} (ignored when {@code udp-port} is 0)
 * @param publicAddress address written into Contact, Via and SDP {@code c=}; empty → the bind address, or the
 *                      host's address when binding to the wildcard
 * @param rtpPortMin    first RTP port (even, RFC 3550 §11: RTP even, RTCP the odd one above)
 * @param rtpPortMax    last RTP port
 * @param rtpRelayThreads threads relaying anchored calls' RTP, each with its share of the port range; one carries
 *                      ~750 G.711 calls on a core (0 = one per core)
 * @param threads       threads that parse and handle received SIP messages; they wait on Redis round trips, so more
 *                      than the cores (default 16)
 * @param maxServerTransactions server transactions the SIP stack holds before it drops new requests; over UDP a
 *                      completed non-INVITE transaction is kept 32 s (Timer J, RFC 3261 §17.2.2), so this bounds
 *                      the sustained request rate (100,000 ≈ 3,000 requests/s) at a few KiB of heap each
 * @param workQueueLimit received SIP datagrams waiting for a worker thread past which a new INVITE or a REGISTER is
 *                      answered 503 with Retry-After (RFC 3261 §21.5.4), and from 80 % of
 *                      {@code max-server-transactions} as well, instead of the stack dropping requests silently; what
 *                      belongs to a dialog (BYE, re-INVITE), ACK, CANCEL and responses are always taken. 2,000 is
 *                      about half a second of work at the registrar's peak rate, the UDP retransmission interval T1
 *                      (RFC 3261 §17.1.1.1)
 * @param statelessAnswers answers kept to repeat to retransmissions of the requests answered without a server
 *                      transaction (REGISTER over UDP, so that registrations do not fill the stack's transaction
 *                      table; and BYE over UDP, whose transaction is released once answered), each for 32 s (RFC
 *                      3261 §17.2.2); a few hundred bytes each. Two per registration, one per call: 200,000 keep the
 *                      full 32 s up to ~3,000 registrations/s, above which the oldest go sooner (a retransmission
 *                      after that is handled again: a stale CSeq or nonce-count, which the phone recovers from; a
 *                      BYE of a call already ended gets 481); 0 keeps none
 * @param overloadRetryAfter the Retry-After of that 503: how long a refused phone waits before this node again
 * @param tlsPort       SIP over TLS (RFC 3261 §26.2, usually 5061) for single-node deployments without the edge;
 *                      0 = no TLS. Phones that register over TLS are called over TLS ({@code transport=tls})
 * @param tlsKeyStore   PKCS12 (or {@code .jks}) file with the node's certificate chain and private key; required
 *                      when {@code tls-port} is set ({@code ./tandem up} makes a self-signed one when empty)
 * @param tlsKeyStorePassword its password, from configuration or the environment, never from code
 * @param tlsTrustStore certificates the node trusts when it opens a TLS connection itself; requests to a TLS phone
 *                      go over the connection the phone opened (RFC 5923, {@code FlowRouter}), so phones'
 *                      certificates are not needed; empty trusts only the node's own certificate
 * @param srtp          where the node accepts SRTP keyed by SDES (RFC 4568) on its relay legs: {@code tls} (only from
 *                      phones whose INVITE came over TLS: over UDP or TCP the keys in the SDP are readable on the
 *                      wire, RFC 4568 §8.3), {@code any}, or {@code off}
 * @param tlsRequireSrtp refuse a call offering plain RTP over TLS with 488 (RFC 3264 §6), so TLS phones never send
 *                      clear audio; off by default: a TLS phone without SRTP still gets a call
 * @param sessionExpires the session interval (RFC 4028) the node grants a caller that supports {@code timer} without
 *                      asking for one; a call whose refresh (re-INVITE or UPDATE) does not come in time is ended
 * @param minSessionExpires the smallest session interval accepted (RFC 4028 §4 Min-SE, at least 90 s on the wire);
 *                      a smaller Session-Expires is answered 422 with this Min-SE
 */
@Validated
@ConfigurationProperties("tandem.sip")
public record SipProperties(
        @DefaultValue("0.0.0.0") @NotBlank String bindAddress,
        @DefaultValue("5060") @Min(0) @Max(65535) int udpPort,
        @DefaultValue("5060") @Min(0) @Max(65535) int tcpPort,
        @DefaultValue("") String publicAddress,
        @DefaultValue("20000") @Min(1024) @Max(65534) int rtpPortMin,
        @DefaultValue("29999") @Min(1025) @Max(65535) int rtpPortMax,
        @DefaultValue("0") @Min(0) @Max(64) int rtpRelayThreads,
        @DefaultValue("16") @Min(1) @Max(256) int threads,
        @DefaultValue("100000") @Min(100) int maxServerTransactions,
        @DefaultValue("2000") @Min(0) int workQueueLimit,
        @DefaultValue("200000") @Min(0) int statelessAnswers,
        @DefaultValue("5s") @NotNull Duration overloadRetryAfter,
        @DefaultValue("0") @Min(0) @Max(65535) int tlsPort,
        @DefaultValue("") String tlsKeyStore,
        @DefaultValue("") String tlsKeyStorePassword,
        @DefaultValue("") String tlsTrustStore,
        @DefaultValue("tls") @NotNull Srtp srtp,
        @DefaultValue("false") boolean tlsRequireSrtp,
        @DefaultValue("1800s") @NotNull Duration sessionExpires,
        @DefaultValue("90s") @NotNull Duration minSessionExpires) {

    /** Where SDES-keyed SRTP is accepted. */
    public enum Srtp {
        /** Only from a phone whose INVITE came over TLS. */
        TLS,
        /** Over any transport (the keys travel in clear over UDP and TCP). */
        ANY,
        /** Never: an SRTP-only offer is refused with 488. */
        OFF
    }

    public SipProperties {
        if (rtpRelayThreads == 0) {
            rtpRelayThreads = Runtime.getRuntime().availableProcessors();
        }
        if (overloadRetryAfter != null && (overloadRetryAfter.isNegative()
                || overloadRetryAfter.toSeconds() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("tandem.sip.overload-retry-after must be 0s or more (whole seconds)");
        }
        if (minSessionExpires != null && sessionExpires != null && (minSessionExpires.toSeconds() < 1
                || sessionExpires.compareTo(minSessionExpires) < 0)) {
            throw new IllegalArgumentException("tandem.sip.session-expires must be at least "
                    + "tandem.sip.min-session-expires, which must be 1s or more (RFC 4028 §4: 90s on the wire)");
        }
        if (rtpPortMin % 2 != 0) {
            throw new IllegalArgumentException("tandem.sip.rtp-port-min must be even (RFC 3550 §11)");
        }
        if (rtpPortMax <= rtpPortMin) {
            throw new IllegalArgumentException("tandem.sip.rtp-port-max must be above tandem.sip.rtp-port-min");
        }
        if (tlsPort != 0 && (tlsKeyStore == null || tlsKeyStore.isBlank())) {
            throw new IllegalArgumentException("tandem.sip.tls-key-store is required when tandem.sip.tls-port is set");
        }
        if (tlsPort != 0 && tlsPort == udpPort) {
            throw new IllegalArgumentException("tandem.sip.tls-port must differ from tandem.sip.udp-port");
        }
    }
}
