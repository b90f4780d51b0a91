package io.tandem.agent.engine.pjsua2;

import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneAccount;
import io.tandem.agent.engine.RegistrationStatus;
import io.tandem.agent.engine.RegistrationStatus.Phase;
import io.tandem.agent.engine.SipSecurity;
import io.tandem.agent.engine.SrtpUse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pjsip.pjsua2.AccountConfig;
import org.pjsip.pjsua2.AccountMediaConfig;
import org.pjsip.pjsua2.AuthCredInfo;
import org.pjsip.pjsua2.IntVector;
import org.pjsip.pjsua2.SrtpCrypto;
import org.pjsip.pjsua2.SrtpCryptoVector;
import org.pjsip.pjsua2.SrtpOpt;
import org.pjsip.pjsua2.pjmedia_srtp_keying_method;
import org.pjsip.pjsua2.pjmedia_srtp_use;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest registration down the node list. pjsua2 registers an account to one registrar, so a failover replaces the
 * account with one for the next node: when PJSIP reports that the node failed (408, 5xx) or when the node stops
 * answering OPTIONS ({@link NodeProbe}, every probe interval, faster than PJSIP's 32 s transaction timeout). While on
 * a failover node the preferred one is probed too, and the phone moves back when it answers and no call is up (a
 * move during a call would end it). A wrong password is final. State on the PJSIP thread; the probe on its own.
 */
final class Pjsua2Registration {
    private static final Logger LOG = LoggerFactory.getLogger(Pjsua2Registration.class);
    /** The SDES suite the node speaks (RFC 4568 §6.2.1). */
    private static final String SRTP_SUITE = "AES_CM_128_HMAC_SHA1_80";
    /** PJSIP's TLS transport errors ({@code sip_errno.h}: PJSIP_TLS_EUNKNOWN … PJSIP_TLS_ECERTVERIF). */
    private static final int PJSIP_TLS_FIRST_ERROR = 171160;
    private static final int PJSIP_TLS_ECERTVERIF = 171173;
    private static final int PJSIP_TLS_LAST_ERROR = 171173;
    /** How PJSIP's TLS errors are named in a reason phrase it makes up ({@code sip_errno.c}). */
    private static final String PJSIP_TLS_ERROR_PREFIX = "PJSIP_TLS_E";

    private final Pjsua2PhoneEngine engine;
    private final PhoneAccount phoneAccount;
    private final EngineSettings settings;
    private final InetAddress local;
    private final ScheduledExecutorService probes;
    private final RegistrarFailover failover;
    private final NodeProbe nodeProbe;
    /**
     * Registrar → the node's plain SIP address, where the UDP probe goes: over TCP or TLS the registrar's port is
     * not a UDP one (the probe tells that the node is up, the REGISTER whether its TLS can be reached).
     */
    private final Map<String, String> probeTargets;
    private volatile RegistrationStatus status = RegistrationStatus.OFFLINE;
    /** The node registered on or being tried, for the probe thread; null without registrars. */
    private volatile String current;
    /** PJSIP thread only. */
    private Pjsua2Account account;

    Pjsua2Registration(Pjsua2PhoneEngine engine, PhoneAccount phoneAccount, Map<String, String> probeTargets,
                       EngineSettings settings, InetAddress local, ScheduledExecutorService probes) {
        this.engine = engine;
        this.probeTargets = Map.copyOf(probeTargets);
        this.phoneAccount = phoneAccount;
        this.settings = settings;
        this.local = local;
        this.probes = probes;
        this.failover = phoneAccount.registrars().isEmpty() ? null : new RegistrarFailover(phoneAccount.registrars());
        this.nodeProbe = new NodeProbe(local, settings.requestTimeout());
    }

    void start() throws Exception {
        if (failover == null) {
            account = newAccount(null);
            return;
        }
        registerOn(failover.current(), 0);
        long every = settings.probeInterval().toMillis();
        probes.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
    }

    RegistrationStatus status() {
        return status;
    }

    String user() {
        return phoneAccount.user();
    }

    Pjsua2Account account() {
        return account;
    }

    /** Replaces the account with one registering on {@code registrar} (PJSIP thread). */
    private void registerOn(String registrar, int lastStatus) throws Exception {
        Pjsua2Account old = account;
        current = registrar;
        publish(new RegistrationStatus(Phase.REGISTERING, registrar, lastStatus));
        account = newAccount(registrar);
        if (old != null) {
            // Unregisters from the old node (nowhere, when it died) and frees the SWIG object.
            old.shutdown();
            old.delete();
        }
    }

    private Pjsua2Account newAccount(String registrar) throws Exception {
        AccountConfig config = new AccountConfig();
        try {
            String id = "sip:" + phoneAccount.user() + "@" + phoneAccount.domain();
            config.setIdUri(phoneAccount.displayName().isEmpty() ? id
                    : "\"" + phoneAccount.displayName().replace("\"", "") + "\" <" + id + ">");
            if (registrar != null) {
                config.getRegConfig().setRegistrarUri(registrar);
                config.getRegConfig().setTimeoutSec(settings.registerExpiry().toSeconds());
                // Retrying is ours (the next node), not PJSIP's (the same node again).
                config.getRegConfig().setRetryIntervalSec(0);
                config.getRegConfig().setDropCallsOnFail(false);
            }
            if (phoneAccount.password() != null) {
                // The SWIG binding takes the password as a String; it lives as long as the account config.
                AuthCredInfo credentials = new AuthCredInfo("digest", "*", phoneAccount.user(), 0,
                        new String(phoneAccount.password()));
                config.getSipConfig().getAuthCreds().add(credentials);
                credentials.delete();
            }
            secure(config, registrar);
            // A plain Contact (no RFC 5626 outbound parameters, no rewriting): the node routes to what we register.
            config.getNatConfig().setSipOutboundUse(0);
            config.getNatConfig().setContactRewriteUse(0);
            config.getMediaConfig().getTransportConfig().setBoundAddress(local.getHostAddress());
            config.getMediaConfig().getTransportConfig().setPort(settings.rtpPortMin());
            config.getMediaConfig().getTransportConfig().setPortRange(settings.rtpPortMax() - settings.rtpPortMin());
            Pjsua2Account created = new Pjsua2Account(engine, this, registrar);
            created.create(config, true);
            return created;
        } finally {
            config.delete();
        }
    }

    /**
     * Transport and SRTP for the account. Over TCP or TLS every request leaves by that transport and through the
     * node as outbound proxy (loose routing, RFC 3261 §16.12), so a call to any URI (a callback room's join URI
     * names the node's plain port) still goes over the phone's one connection. SRTP: SDES with the one suite the
     * node speaks (AES_CM_128_HMAC_SHA1_80, RFC 4568 §6.2.1), and only when the next hop is TLS
     * ({@code srtpSecureSignaling} 1), as the keys travel in the SDP.
     */
    private void secure(AccountConfig config, String registrar) {
        SipSecurity security = engine.security();
        int transport = engine.signallingTransport();
        if (transport >= 0) {
            config.getSipConfig().setTransportId(transport);
            if (registrar != null) {
                config.getSipConfig().getProxies().add(registrar + ";lr");
            }
        }
        AccountMediaConfig media = config.getMediaConfig();
        media.setSrtpUse(switch (security.srtp()) {
            case OFF -> pjmedia_srtp_use.PJMEDIA_SRTP_DISABLED;
            case OPTIONAL -> pjmedia_srtp_use.PJMEDIA_SRTP_OPTIONAL;
            case MANDATORY -> pjmedia_srtp_use.PJMEDIA_SRTP_MANDATORY;
        });
        if (security.srtp() != SrtpUse.OFF) {
            media.setSrtpSecureSignaling(1);
            SrtpCrypto suite = new SrtpCrypto();
            SrtpCryptoVector suites = new SrtpCryptoVector();
            IntVector keyings = new IntVector();
            try {
                suite.setName(SRTP_SUITE);
                suites.add(suite);
                keyings.add(pjmedia_srtp_keying_method.PJMEDIA_SRTP_KEYING_SDES);
                SrtpOpt options = media.getSrtpOpt();
                options.setCryptos(suites);
                options.setKeyings(keyings);
                media.setSrtpOpt(options);
            } finally {
                keyings.delete();
                suites.delete();
                suite.delete();
            }
        } else {
            media.setSrtpSecureSignaling(0);
        }
    }

    /** PJSIP's REGISTER outcome for {@code from} (PJSIP thread, inside the callback: hand over only). */
    void result(Pjsua2Account from, int code, long expiration, int pjStatus, String reason) {
        engine.thread().post("registration " + code, () -> {
            if (from != account || failover == null) {
                return; // a replaced account's unregistration
            }
            String registrar = failover.current();
            String tlsProblem = tlsProblem(registrar, code, pjStatus, reason);
            if (tlsProblem != null) {
                // The agent's trust setting, not the node's health: every node would fail the same way, and a
                // phone that moved on to plain transport would give away what the setting asked for.
                LOG.warn("registration on {} failed: {}", registrar, tlsProblem);
                publish(new RegistrationStatus(Phase.FAILED, registrar, code, tlsProblem));
            } else if (code / 100 == 2) {
                publish(new RegistrationStatus(expiration > 0 ? Phase.REGISTERED : Phase.OFFLINE,
                        expiration > 0 ? registrar : null, code));
            } else if (RegistrarFailover.nodeFailure(code)) {
                failOver(registrar, code);
            } else {
                // Refused (401/403 after our credentials, 404): every node would say the same.
                publish(new RegistrationStatus(Phase.FAILED, registrar, code));
            }
        });
    }

    /**
     * Why a REGISTER over TLS failed when the TLS connection was the reason, in words for the agent; null when it
     * was not. PJSIP reports a transport's failure as a 503 of its own making whose reason phrase carries the
     * transport's error ("SSL certificate verification error (PJSIP_TLS_ECERTVERIF)"), the status beside it
     * being the transaction's (success).
     */
    private String tlsProblem(String registrar, int code, int pjStatus, String reason) {
        if (!engine.security().tls() || code / 100 == 2) {
            return null;
        }
        String phrase = reason == null ? "" : reason;
        boolean tlsStatus = pjStatus >= PJSIP_TLS_FIRST_ERROR && pjStatus <= PJSIP_TLS_LAST_ERROR;
        if (!tlsStatus && !phrase.contains(PJSIP_TLS_ERROR_PREFIX)) {
            return null;
        }
        String what = pjStatus == PJSIP_TLS_ECERTVERIF || phrase.contains("ECERTVERIF")
                ? "the node's certificate is not trusted (check the trusted certificate file in Settings)"
                : tlsStatus ? engine.statusText(pjStatus) : phrase;
        return "TLS to " + registrar.replaceFirst("^sips?:", "").replaceFirst(";.*$", "") + " failed: " + what;
    }

    /** {@code registrar} failed: the next node, or after a pause the list again from the top (PJSIP thread). */
    private void failOver(String registrar, int code) throws Exception {
        if (!registrar.equals(failover.current()) || status.phase() == Phase.FAILED) {
            return;
        }
        boolean wrapped = failover.next();
        LOG.warn("node {} failed ({}): registering on {}", registrar, code == 0 ? "no answer" : code, failover.current());
        if (!wrapped) {
            registerOn(failover.current(), code);
            return;
        }
        current = failover.current();
        publish(new RegistrationStatus(Phase.REGISTERING, failover.current(), code));
        String next = failover.current();
        probes.schedule(() -> engine.thread().post("retry " + next, () -> {
            if (next.equals(failover.current())) {
                registerOn(next, code);
            }
        }), settings.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The probe thread: is the current node alive, and is the preferred one back? */
    private void probe() {
        String node = current;
        if (node == null || status.phase() == Phase.FAILED || status.phase() == Phase.OFFLINE) {
            return;
        }
        try {
            int answer = nodeProbe.probe(probeTargets.getOrDefault(node, node));
            if (!NodeProbe.alive(answer)) {
                engine.thread().post("fail over from " + node, () -> failOver(node, answer));
                return;
            }
            String preferred = phoneAccount.registrars().get(0);
            if (!node.equals(preferred)
                    && NodeProbe.alive(nodeProbe.probe(probeTargets.getOrDefault(preferred, preferred)))) {
                engine.thread().post("back to " + preferred, this::backToPreferred);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("probing {} failed: {}", node, e.getMessage());
        }
    }

    private void backToPreferred() throws Exception {
        if (failover.onPreferred() || engine.hasCalls()) {
            return;
        }
        failover.backToPreferred();
        LOG.info("preferred node {} answers again: registering there", failover.current());
        registerOn(failover.current(), 0);
    }

    private void publish(RegistrationStatus next) {
        if (next.equals(status)) {
            return;
        }
        status = next;
        engine.registrationChanged(next);
    }

    /** Unregisters and frees the account (PJSIP thread, before libDestroy). */
    void close() {
        current = null;
        if (account != null) {
            try {
                account.shutdown();
            } finally {
                account.delete();
                account = null;
            }
        }
        status = RegistrationStatus.OFFLINE;
    }
}
