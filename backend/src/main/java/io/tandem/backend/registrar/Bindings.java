package io.tandem.backend.registrar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.ScriptReply;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;

/**
 * Registration bindings in Redis, the lookup API calls are routed with.
 *
 * <p>Data model: {@code tandem:{t}:reg:<ext>} is a hash; each contact is one field {@link Keys#CONTACT_FIELD}
 * {@code <contact-uri>} whose value is a JSON object (node, contact, reachable, transport, source, userAgent, callId,
 * cseq, registeredAt, updatedAt, expiresAt — times in epoch ms). Fields {@link Keys#CALL_FIELD} {@code <call-id>} are
 * reserved for the calls in progress of the extension (written by the B2BUA; the registrar never touches them). The
 * key's TTL is the latest contact expiry plus a grace, so a phone that vanishes leaves no trace; expired contacts
 * inside a live key are pruned by every write and skipped by every read. {@code tandem:{t}:regs} is a sorted set of
 * registered extensions scored by their latest expiry, so a tenant's registrations are listed without SCAN. All
 * writes go through one Lua script per REGISTER ({@code redis/registrar/register.lua}), atomic per address of
 * record; the ACD's claim reads the contact fields as they are (its grants carry them, see
 * {@link #unexpired(String, Collection)}).
 */
@Service
public class Bindings {

    /** One REGISTER, atomic per address of record ({@code redis/registrar/register.lua}). */
    private static final LuaScript REGISTER = LuaScript.load("registrar/register", ScriptOutputType.VALUE);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Redis redis;
    private final NodeRegistry nodes;
    private final Clock clock;

    public Bindings(Redis redis, NodeRegistry nodes, Clock clock) {
        this.redis = redis;
        this.nodes = nodes;
        this.clock = clock;
    }

    /**
     * The live contacts of {@code extension}: not expired, and held by a node that is alive (a binding of a dead
     * node is never returned: its phone re-registers elsewhere). Most recently refreshed first.
     */
    public List<Binding> lookup(String tenant, String extension) {
        return lookup(tenant, extension, nodes.probe());
    }

    /** As {@link #lookup(String, String)}, with the nodes' liveness from {@code probe} (sent before this read). */
    public List<Binding> lookup(String tenant, String extension, NodeRegistry.Probe probe) {
        return read(tenant, extension, b -> Keys.NODE.matcher(b.node()).matches() && probe.alive(b.node()));
    }

    /** Every extension of the tenant with live contacts, as {@link #lookup} sees them, ordered by extension. */
    public Map<String, List<Binding>> all(String tenant) {
        long now = clock.millis();
        List<String> extensions = redis.commands().zrangebyscore(Keys.registrations(tenant),
                Range.create((double) now, Double.POSITIVE_INFINITY));
        NodeRegistry.Probe probe = nodes.probe();
        Predicate<Binding> alive = b -> Keys.NODE.matcher(b.node()).matches() && probe.alive(b.node());
        Map<String, List<Binding>> all = new LinkedHashMap<>();
        extensions.stream().sorted().forEach(extension -> {
            if (Keys.EXTENSION.matcher(extension).matches()) {
                List<Binding> bindings = read(tenant, extension, alive);
                if (!bindings.isEmpty()) {
                    all.put(extension, bindings);
                }
            }
        });
        return all;
    }

    /** Contacts not yet expired, whatever their node (the registrar answers a REGISTER with these). */
    List<Binding> unexpired(String tenant, String extension) {
        return read(tenant, extension, b -> true);
    }

    /** Applies one REGISTER atomically; see {@link #REGISTER}. */
    WriteResult write(String tenant, String extension, String callId, long cseq, boolean removeAll,
            List<ContactChange> changes, int maxContacts, long graceMillis) {
        List<String> args = new ArrayList<>(List.of(Long.toString(clock.millis()), Long.toString(graceMillis),
                Integer.toString(maxContacts), extension, callId, Long.toString(cseq), removeAll ? "*" : "c"));
        for (ContactChange change : changes) {
            args.add(change.contact());
            args.add(change.binding() == null ? "" : encode(change.binding()));
        }
        Registered out = ScriptReply.decode(redis.run(REGISTER, List.of(Keys.registration(tenant, extension),
                Keys.registrations(tenant), Keys.pushBindings(tenant, extension)), args.toArray(String[]::new)),
                Registered.class);
        if (out.outOfOrder()) {
            return new WriteResult(true, 0, List.of());
        }
        List<Binding> current = new ArrayList<>();
        for (String contact : out.contacts()) {
            current.add(decode(extension, contact));
        }
        current.sort(Comparator.comparing(Binding::updatedAt).reversed());
        return new WriteResult(false, out.evicted(), current);
    }

    /** What {@code register.lua} returns (JSON): refused as out of order, or the contacts evicted and now live. */
    record Registered(boolean outOfOrder, int evicted, List<String> contacts) {

        Registered {
            contacts = contacts == null ? List.of() : contacts;
        }
    }

    /** One contact to set (binding given) or remove (binding null). */
    record ContactChange(String contact, Binding binding) {
    }

    /** What a REGISTER did: refused as out of order, or the contacts now live and how many were evicted. */
    record WriteResult(boolean outOfOrder, int evicted, List<Binding> current) {
    }

    private List<Binding> read(String tenant, String extension, Predicate<Binding> keep) {
        Map<String, String> hash = redis.commands().hgetall(Keys.registration(tenant, extension));
        List<String> records = new ArrayList<>();
        for (Map.Entry<String, String> field : hash.entrySet()) {
            if (field.getKey().startsWith(Keys.CONTACT_FIELD)) {
                records.add(field.getValue());
            }
        }
        return unexpired(extension, records, keep);
    }

    /**
     * The contacts among binding records read by a script (the claim returns each reserved agent's) that have not
     * expired, newest first as {@link #lookup} orders them; whether their nodes are alive is the caller's to decide.
     */
    public List<Binding> unexpired(String extension, Collection<String> records) {
        return unexpired(extension, records, b -> true);
    }

    private List<Binding> unexpired(String extension, Collection<String> records, Predicate<Binding> keep) {
        long now = clock.millis();
        List<Binding> bindings = new ArrayList<>();
        for (String record : records) {
            Binding binding = decode(extension, record);
            if (binding.expiresAt().toEpochMilli() > now && keep.test(binding)) {
                bindings.add(binding);
            }
        }
        bindings.sort(Comparator.comparing(Binding::updatedAt).reversed());
        return bindings;
    }

    static String encode(Binding b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("node", b.node());
        o.put("contact", b.contact());
        o.put("reachable", b.reachable());
        o.put("transport", b.transport());
        o.put("source", b.source());
        o.put("userAgent", b.userAgent());
        o.put("callId", b.callId());
        o.put("cseq", b.cseq());
        o.put("registeredAt", b.registeredAt().toEpochMilli());
        o.put("updatedAt", b.updatedAt().toEpochMilli());
        o.put("expiresAt", b.expiresAt().toEpochMilli());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a binding", e);
        }
    }

    static Binding decode(String extension, String json) {
        try {
            JsonNode o = JSON.readTree(json);
            return new Binding(extension, o.path("node").asText(), o.path("contact").asText(),
                    o.path("reachable").asText(), o.path("transport").asText(), o.path("source").asText(),
                    o.path("userAgent").asText(), o.path("callId").asText(), o.path("cseq").asLong(),
                    Instant.ofEpochMilli(o.path("registeredAt").asLong()),
                    Instant.ofEpochMilli(o.path("updatedAt").asLong()),
                    Instant.ofEpochMilli(o.path("expiresAt").asLong()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable binding in Redis: " + e.getOriginalMessage(), e);
        }
    }
}
