package io.tandem.backend.trunk;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.telephony.sip.SipMessages;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes trunks out of rotation ({@link TrunkHealth}) back in: every {@code tandem.trunks.health-probe} the node sends
 * OPTIONS (RFC 3261 §11: a capabilities query, no call is set up and no customer rings) to each such trunk's gateway;
 * a 2xx means the carrier takes requests again, and the trunk is back in rotation on every node. No answer or an
 * error leaves it out until the next probe. Every node probes; the first 2xx wins, the rest find nothing to do.
 */
final class TrunkProbe implements SipFeature {

    private static final Logger log = LoggerFactory.getLogger(TrunkProbe.class);

    /** A probe on its way: whose trunk it asks about. */
    private record Probed(String tenant, String trunk) {
    }

    private final Trunks trunks;
    private final Directory directory;
    private final TrunkHealth health;
    private final OwedWrites writes;
    private final NodeSignalling signalling;
    private final ScheduledExecutorService timer;
    private final TrunkProperties properties;
    /** The probes awaiting their answer, by client transaction; bounded by the trunks out of rotation. */
    private final Map<ClientTransaction, Probed> pending = new ConcurrentHashMap<>();

    TrunkProbe(Trunks trunks, Directory directory, TrunkHealth health, OwedWrites writes, NodeSignalling signalling,
            ScheduledExecutorService timer, TrunkProperties properties) {
        this.trunks = trunks;
        this.directory = directory;
        this.health = health;
        this.writes = writes;
        this.signalling = signalling;
        this.timer = timer;
        this.properties = properties;
    }

    void start() {
        long every = properties.healthProbe().toMillis();
        timer.scheduleWithFixedDelay(this::probeSafely, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public Set<String> methods() {
        return Set.of();
    }

    @Override
    public void onRequest(InboundRequest request) {
        throw new IllegalStateException("claims no method");
    }

    @Override
    public void onResponse(ResponseEvent event) {
        ClientTransaction tx = event.getClientTransaction();
        int status = event.getResponse().getStatusCode();
        if (tx == null || status < 200) {
            return;
        }
        Probed probed = pending.remove(tx);
        if (probed == null) {
            return;
        }
        if (status < 300) {
            writes.owe("trunk " + probed.trunk() + "@" + probed.tenant() + ": back in rotation",
                    () -> health.restored(probed.tenant(), probed.trunk()));
        } else {
            log.info("trunk {}@{}: probe answered {}; still out of rotation", probed.trunk(), probed.tenant(), status);
        }
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        Probed probed = event.getClientTransaction() == null ? null : pending.remove(event.getClientTransaction());
        if (probed != null) {
            log.info("trunk {}@{}: probe unanswered; still out of rotation", probed.trunk(), probed.tenant());
        }
    }

    /** One round: OPTIONS to the gateway of every trunk out of rotation. */
    void probe() {
        for (String tenant : directory.tenants()) {
            if (!Keys.TENANT.matcher(tenant).matches()) {
                continue;
            }
            for (String id : health.unhealthy(tenant).keySet()) {
                trunks.find(tenant, id).filter(Trunk::inService).ifPresent(trunk -> send(tenant, trunk));
            }
        }
    }

    private void probeSafely() {
        try {
            probe();
        } catch (RuntimeException e) {
            log.warn("trunk health probe failed (next round in {}): {}", properties.healthProbe(), e.toString());
        }
    }

    private void send(String tenant, Trunk trunk) {
        try {
            SipMessages m = signalling.endpoint().messages();
            String host = trunk.host().contains(":") ? "[" + trunk.host() + "]" : trunk.host();
            SipURI gateway = m.addresses().createSipURI(null, host);
            gateway.setPort(trunk.port());
            if (trunk.transport() != Trunk.Transport.UDP) {
                gateway.setTransportParam(trunk.transport().wire());
            }
            Address us = m.addresses().createAddress(m.addresses().createSipURI("tandem", signalling.host()));
            Address them = m.addresses().createAddress(gateway);
            Request options = m.outOfDialog(Request.OPTIONS, gateway, us, SipMessages.newToken(), them,
                    SipMessages.newToken() + "@tandem-probe", 1, trunk.transport().wire(), null);
            ViaHeader via = (ViaHeader) options.getHeader(ViaHeader.NAME);
            via.setHost(signalling.host());
            via.setPort(signalling.sipPort());
            ClientTransaction tx = signalling.endpoint().provider().getNewClientTransaction(options);
            pending.put(tx, new Probed(tenant, trunk.id()));
            try {
                tx.sendRequest();
            } catch (Exception e) {
                pending.remove(tx); // no answer will come for it
                throw e;
            }
        } catch (Exception e) {
            signalling.failed("options", "to trunk " + trunk.id() + "@" + tenant, e);
        }
    }
}
