package io.tandem.backend.trunk;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's registrations to the carriers of every in-service trunk with registration authentication, in every
 * tenant: each node registers its own Contact under the trunk's user, so the carrier reaches the cluster through
 * whichever nodes are alive. Every {@code registration-check} the trunks are read again: a new trunk is registered,
 * a changed one registered afresh, a removed or out-of-service one unregistered; due refreshes and retries are sent.
 * Each registration's state is written to {@link Keys#trunkRegistrations} (field: this node) for the trunk's view.
 * The same periodic check gives back the channels of dead nodes ({@link ChannelSweep}).
 * A SIP feature only for the responses to its REGISTERs: it claims no request method.
 */
public final class CarrierRegistrations implements SipFeature, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CarrierRegistrations.class);

    private final Trunks trunks;
    private final Directory directory;
    private final Redis redis;
    private final OwedWrites writes;
    private final NodeSignalling signalling;
    private final ScheduledExecutorService timer;
    private final TrunkProperties properties;
    private final Clock clock;
    private final String nodeId;
    /** By tenant and trunk id; read by SIP threads, changed by the check. */
    private final Map<String, CarrierRegistration> registrations = new ConcurrentHashMap<>();
    private final ChannelSweep channels;

    CarrierRegistrations(Trunks trunks, Directory directory, Redis redis, OwedWrites writes,
            NodeSignalling signalling, ScheduledExecutorService timer, TrunkProperties properties, Clock clock,
            String nodeId, ChannelSweep channels) {
        this.channels = channels;
        this.trunks = trunks;
        this.directory = directory;
        this.redis = redis;
        this.writes = writes;
        this.signalling = signalling;
        this.timer = timer;
        this.properties = properties;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /** Starts the periodic check. */
    void start() {
        long every = properties.registrationCheck().toMillis();
        timer.scheduleWithFixedDelay(this::checkSafely, every, every, TimeUnit.MILLISECONDS);
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
        if (!Request.REGISTER.equals(((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getMethod())) {
            return;
        }
        String callId = ((CallIdHeader) event.getResponse().getHeader(CallIdHeader.NAME)).getCallId();
        for (CarrierRegistration registration : registrations.values()) {
            if (registration.callId.equals(callId)) {
                registration.onResponse(event.getClientTransaction(), event.getResponse(), clock.instant(),
                        properties.registrationCheck());
                report(registration);
            }
        }
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        for (CarrierRegistration registration : registrations.values()) {
            if (registration.owns(event.getClientTransaction())) {
                registration.onTimeout(event.getClientTransaction(), clock.instant(), properties.registrationCheck());
                report(registration);
            }
        }
    }

    /** The trunks to register now, registered, changed or removed; due refreshes and retries sent. */
    void check() {
        Set<String> wanted = new HashSet<>();
        for (String tenant : directory.tenants()) {
            if (!Keys.TENANT.matcher(tenant).matches()) {
                continue;
            }
            for (Trunk trunk : trunks.list(tenant)) {
                if (trunk.authentication() != Trunk.Authentication.REGISTRATION || !trunk.inService()) {
                    continue;
                }
                String password = trunks.password(tenant, trunk.id());
                if (password == null) {
                    continue;
                }
                String key = tenant + "/" + trunk.id();
                wanted.add(key);
                CarrierRegistration.Target target = new CarrierRegistration.Target(tenant, trunk.id(), trunk.host(),
                        trunk.port(), trunk.transport().wire(), trunk.username(), password);
                CarrierRegistration current = registrations.get(key);
                if (current == null || !current.target.equals(target)) {
                    if (current != null) {
                        current.remove();
                    }
                    current = new CarrierRegistration(target, signalling, properties.registrationExpiry());
                    registrations.put(key, current);
                }
                if (current.sendIfDue(clock.instant(), properties.registrationCheck())) {
                    report(current);
                }
            }
        }
        registrations.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().remove();
            CarrierRegistration.Target gone = entry.getValue().target;
            writes.owe("trunk " + gone.trunk() + ": registration removed", () -> redis.commands().hdel(
                    Keys.trunkRegistrations(gone.tenant(), gone.trunk()), nodeId));
            return true;
        });
    }

    private void checkSafely() {
        try {
            check();
            channels.sweep();
        } catch (RuntimeException e) {
            // The next check tries again; a Redis outage is counted by the Redis facade.
            log.warn("carrier registrations: check failed: {}", e.toString());
        }
    }

    /**
     * Writes the registration's state as it is when the write runs: reports from the check and from SIP threads may
     * be queued in either order, and the last one written must be the latest state.
     */
    private void report(CarrierRegistration registration) {
        CarrierRegistration.Target target = registration.target;
        writes.once("trunk " + target.trunk() + ": registration state", () -> {
            CarrierRegistration.Status status = registration.status();
            if (status.state() == CarrierRegistration.State.REMOVED) {
                return; // its field is gone with the trunk
            }
            redis.commands().hset(Keys.trunkRegistrations(target.tenant(), target.trunk()), nodeId,
                    Trunks.encode(Map.of("state", status.state().name().toLowerCase(Locale.ROOT), "status",
                            status.status(), "expiresAt", status.expiresAt() == null ? ""
                                    : status.expiresAt().toString())));
        });
    }

    /** The node stops: every binding it holds at a carrier is removed (best effort, not waited for). */
    @Override
    public void close() {
        registrations.values().forEach(CarrierRegistration::remove);
        registrations.clear();
    }

    /** This node's registration state of each trunk, for tests and the trunk's view. */
    Map<String, CarrierRegistration.Status> states() {
        Map<String, CarrierRegistration.Status> states = new ConcurrentHashMap<>();
        registrations.forEach((key, registration) -> states.put(key, registration.status()));
        return states;
    }
}
