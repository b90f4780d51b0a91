package io.tandem.backend.trunk;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.trunk.TrunkRequests.StateBody;
import io.tandem.backend.trunk.TrunkRequests.TrunkBody;
import io.tandem.backend.trunk.TrunkRequests.TrunkView;
import jakarta.validation.Valid;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's carrier trunks (admins of the tenant): {@code PUT /{id}} creates or replaces one whole,
 * {@code PUT /{id}/state} takes it out of service (with a reason) or back. A registration's password is written,
 * never answered: views say only whether one is stored.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/trunks")
class TrunkController {

    private static final Logger log = LoggerFactory.getLogger(TrunkController.class);

    private final Trunks trunks;
    private final TrunkHealth health;

    TrunkController(Trunks trunks, TrunkHealth health) {
        this.trunks = trunks;
        this.health = health;
    }

    @GetMapping
    List<TrunkView> list(@PathVariable String tenant) {
        return trunks.list(tenant).stream().map(t -> view(tenant, t)).toList();
    }

    @GetMapping("/{id}")
    TrunkView get(@PathVariable String tenant, @PathVariable String id) {
        return view(tenant, existing(tenant, id));
    }

    @PutMapping("/{id}")
    ResponseEntity<TrunkView> save(@PathVariable String tenant, @PathVariable String id,
            @Valid @RequestBody TrunkBody body) {
        if (!Keys.TRUNK.matcher(id).matches()) {
            throw TrunkProblems.invalid("id", "must be 1-32 letters, digits, '.', '_' or '-'");
        }
        Trunk trunk = trunkOf(id, body);
        if (trunk.authentication() == Trunk.Authentication.REGISTRATION && body.password() == null
                && !trunks.hasPassword(tenant, id)) {
            throw TrunkProblems.invalid("password", "is required for a registration (8-128 characters)");
        }
        boolean created = trunks.save(tenant, trunk, body.password());
        log.info("trunk {}@{} {}: {}:{} {} {}, caps {}, channels {}, {}", id, tenant, created ? "created" : "replaced",
                trunk.host(), trunk.port(), trunk.transport().wire(), trunk.authentication(), trunk.caps(),
                trunk.maxChannels(), trunk.state());
        TrunkView view = view(tenant, trunk);
        return created ? ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant + "/trunks/" + id)).body(view)
                : ResponseEntity.ok(view);
    }

    @PutMapping("/{id}/state")
    TrunkView state(@PathVariable String tenant, @PathVariable String id, @Valid @RequestBody StateBody body) {
        Trunk trunk = existing(tenant, id);
        String reason = body.reason() == null ? "" : body.reason().strip();
        if (body.state() == Trunk.State.OUT_OF_SERVICE && reason.isEmpty()) {
            throw TrunkProblems.invalid("reason", "is required to take a trunk out of service");
        }
        Trunk changed = trunk.withState(body.state(), body.state() == Trunk.State.IN_SERVICE ? "" : reason);
        trunks.save(tenant, changed, null);
        if (changed.inService()) {
            health.restored(tenant, id); // an operator's word puts it back in rotation without waiting for a probe
        }
        log.info("trunk {}@{}: {} {}", id, tenant, changed.state(), changed.stateReason());
        return view(tenant, changed);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String tenant, @PathVariable String id) {
        if (!Keys.TRUNK.matcher(id).matches() || !trunks.delete(tenant, id)) {
            throw notFound(tenant, id);
        }
        log.info("trunk {}@{} deleted", id, tenant);
        return ResponseEntity.noContent().build();
    }

    /** The trunk a valid body describes; cross-field rules checked here, each naming its field. */
    private static Trunk trunkOf(String id, TrunkBody body) {
        List<String> addresses = body.addresses() == null ? List.of() : body.addresses();
        for (int i = 0; i < addresses.size(); i++) {
            if (!isIpLiteral(addresses.get(i))) {
                throw TrunkProblems.invalid("addresses[" + i + "]", "must be an IP address");
            }
        }
        if (body.authentication() == Trunk.Authentication.ADDRESS && addresses.isEmpty()) {
            throw TrunkProblems.invalid("addresses", "must list the carrier's source addresses when authentication"
                    + " is address");
        }
        String username = body.username() == null ? "" : body.username().strip();
        if (body.authentication() == Trunk.Authentication.REGISTRATION && username.isEmpty()) {
            throw TrunkProblems.invalid("username", "is required when authentication is registration");
        }
        List<String> codecs = body.codecs() == null || body.codecs().isEmpty() ? List.of("PCMU", "PCMA")
                : body.codecs();
        for (int i = 0; i < codecs.size(); i++) {
            if (!TrunkRequests.CODECS.contains(codecs.get(i))) {
                throw TrunkProblems.invalid("codecs[" + i + "]", "must be one of "
                        + String.join(", ", TrunkRequests.CODECS), TrunkRequests.CODECS);
            }
        }
        Trunk.CallerId callerId = body.callerId() == null ? null
                : new Trunk.CallerId(body.callerId().mode(), body.callerId().number());
        if (callerId == null || callerId.number() == null || callerId.number().isEmpty()) {
            throw TrunkProblems.invalid("callerId.number", "is required: the number presented when the caller has"
                    + " none of its own");
        }
        Trunk.State state = body.state() == null ? Trunk.State.IN_SERVICE : body.state();
        String reason = body.stateReason() == null ? "" : body.stateReason().strip();
        if (state == Trunk.State.OUT_OF_SERVICE && reason.isEmpty()) {
            throw TrunkProblems.invalid("stateReason", "is required when state is out-of-service");
        }
        return new Trunk(id, body.host(), body.port() == null ? 5060 : body.port(),
                body.transport() == null ? Trunk.Transport.UDP : body.transport(), body.authentication(), addresses,
                username, body.caps() == null ? 0 : body.caps(), body.maxChannels() == null ? 0 : body.maxChannels(),
                codecs, callerId, body.priority() == null ? 0 : body.priority(), state,
                state == Trunk.State.IN_SERVICE ? "" : reason);
    }

    private static boolean isIpLiteral(String address) {
        boolean v4 = address.matches("((25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})");
        if (!address.matches(TrunkRequests.IP) || !(v4 || address.contains(":"))) {
            return false;
        }
        try {
            // A dotted quad or a string with colons is parsed as a literal: this never asks DNS.
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private TrunkView view(String tenant, Trunk trunk) {
        Map<String, JsonNode> registrations = new TreeMap<>();
        trunks.registrations(tenant, trunk.id()).forEach((node, json) -> registrations.put(node, Trunks.tree(json)));
        // A trunk in service that its health took out of rotation shows as out of service, with why.
        String unhealthy = trunk.inService() ? health.unhealthy(tenant).get(trunk.id()) : null;
        Trunk shown = unhealthy == null ? trunk : trunk.withState(Trunk.State.OUT_OF_SERVICE, unhealthy);
        return new TrunkView(tenant, shown, trunks.hasPassword(tenant, trunk.id()), registrations);
    }

    private Trunk existing(String tenant, String id) {
        if (!Keys.TRUNK.matcher(id).matches()) {
            throw notFound(tenant, id);
        }
        return trunks.find(tenant, id).orElseThrow(() -> notFound(tenant, id));
    }

    private static ErrorResponseException notFound(String tenant, String id) {
        return TrunkProblems.problem(HttpStatus.NOT_FOUND, "No such trunk", "no trunk " + id + " in tenant " + tenant);
    }
}
