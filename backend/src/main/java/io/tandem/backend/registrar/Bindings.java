package io.tandem.backend.registrar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.ScriptReply;
import java.io.IOException;
import java.io.StringWriter;
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
 * cseq, registeredAt, updatedAt, expiresAt — times in epoch ms —, and path when the REGISTER carried one,
 * RFC 3327). Fields {@link Keys#CALL_FIELD} {@code <call-id>} are reserved for the calls in progress of the
 * extension (written by the B2BUA; the registrar never touches them). The key's TTL is the latest contact expiry plus a grace, so a phone that vanishes leaves no trace; expired contacts
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

    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    /** Names the nonce-count key a write without a proof passes and never touches. */
    private static final String UNUSED_NONCE = "none";

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
        return read(tenant, extension, b -> usable(b, probe));
    }

    /** Every extension of the tenant with live contacts, as {@link #lookup} sees them, ordered by extension. */
    public Map<String, List<Binding>> all(String tenant) {
        long now = clock.millis();
        List<String> extensions = redis.commands().zrangebyscore(Keys.registrations(tenant),
                Range.create((double) now, Double.POSITIVE_INFINITY));
        NodeRegistry.Probe probe = nodes.probe();
        Predicate<Binding> alive = b -> usable(b, probe);
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

    /**
     * A contact calls may use: its node is alive (it holds the phone's flow), or the phone registered through a path
     * (an edge) that any node can send through (RFC 3327), so the node that took the REGISTER may be gone.
     */
    private static boolean usable(Binding b, NodeRegistry.Probe probe) {
        return b.viaPath() || Keys.NODE.matcher(b.node()).matches() && probe.alive(b.node());
    }

    /** Contacts not yet expired, whatever their node (the registrar answers a REGISTER with these). */
    List<Binding> unexpired(String tenant, String extension) {
        return read(tenant, extension, b -> true);
    }

    /**
     * Applies one REGISTER atomically; see {@link #REGISTER}. With a {@code proof} (null for none) the digest check
     * is finished in the same step, and nothing is written unless it holds.
     */
    WriteResult write(String tenant, String extension, String callId, long cseq, boolean removeAll,
            List<ContactChange> changes, int maxContacts, long graceMillis, DigestGate.Proof proof) {
        List<String> args = new ArrayList<>(changes.size() * 2 + 12);
        args.addAll(List.of(Long.toString(clock.millis()), Long.toString(graceMillis),
                Integer.toString(maxContacts), extension, callId, Long.toString(cseq), removeAll ? "*" : "c"));
        if (proof == null) {
            args.addAll(List.of("", "", "", "", ""));
        } else {
            args.addAll(List.of("p", Long.toString(proof.nc()), Long.toString(proof.ttlMillis()), proof.ha1Field(),
                    proof.ha1()));
        }
        for (ContactChange change : changes) {
            args.add(change.contact());
            args.add(change.binding() == null ? "" : encode(change.binding()));
        }
        // Without a proof the script reads neither the nonce-count nor the user: any key of the tenant's slot will do.
        String nonceCount = proof == null ? Keys.nonceCount(tenant, UNUSED_NONCE) : proof.nonceKey();
        Registered out = ScriptReply.decode(redis.run(REGISTER, List.of(Keys.registration(tenant, extension),
                Keys.registrations(tenant), Keys.pushBindings(tenant, extension), nonceCount,
                Keys.user(tenant, extension)), args.toArray(String[]::new)), Registered.class);
        if (out.userChanged()) {
            return WriteResult.USER_CHANGED;
        }
        if (out.replayed()) {
            return WriteResult.REPLAYED;
        }
        if (out.outOfOrder()) {
            return WriteResult.OUT_OF_ORDER;
        }
        List<Binding> current = new ArrayList<>();
        for (String contact : out.contacts()) {
            current.add(decode(extension, contact));
        }
        current.sort(Comparator.comparing(Binding::updatedAt).reversed());
        return new WriteResult(Refusal.NONE, out.evicted(), current);
    }

    /**
     * What {@code register.lua} returns (JSON): refused for its proof (user changed, nonce-count replayed), refused as
     * out of order, or the contacts evicted and now live.
     */
    record Registered(boolean userChanged, boolean replayed, boolean outOfOrder, int evicted, List<String> contacts) {

        Registered {
            contacts = contacts == null ? List.of() : contacts;
        }
    }

    /** One contact to set (binding given) or remove (binding null). */
    record ContactChange(String contact, Binding binding) {
    }

    /**
     * What a REGISTER did: refused for its proof or as out of order, or the contacts now live and how many were
     * evicted.
     */
    record WriteResult(Refusal refusal, int evicted, List<Binding> current) {

        static final WriteResult USER_CHANGED = new WriteResult(Refusal.USER_CHANGED, 0, List.of());
        static final WriteResult REPLAYED = new WriteResult(Refusal.REPLAYED, 0, List.of());
        static final WriteResult OUT_OF_ORDER = new WriteResult(Refusal.OUT_OF_ORDER, 0, List.of());
    }

    /** Why a REGISTER wrote nothing. */
    enum Refusal {
        /** Written: nothing refused. */
        NONE,
        /** The proof's HA1 is no longer the user's (or the user is gone). */
        USER_CHANGED,
        /** The proof's nonce-count was used before. */
        REPLAYED,
        /** RFC 3261 §10.3 step 7: same Call-ID with a CSeq not higher than the stored one. */
        OUT_OF_ORDER
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

    /**
     * Written and read with Jackson's streaming API, field by field: the tree model (an ObjectNode built, then
     * serialised; a tree parsed, then walked) cost twice as much, on every REGISTER (JFR, issue 21).
     */
    static String encode(Binding b) {
        StringWriter out = new StringWriter(384);
        try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("node", b.node());
            json.writeStringField("contact", b.contact());
            json.writeStringField("reachable", b.reachable());
            json.writeStringField("transport", b.transport());
            json.writeStringField("source", b.source());
            json.writeStringField("userAgent", b.userAgent());
            json.writeStringField("callId", b.callId());
            json.writeNumberField("cseq", b.cseq());
            json.writeNumberField("registeredAt", b.registeredAt().toEpochMilli());
            json.writeNumberField("updatedAt", b.updatedAt().toEpochMilli());
            json.writeNumberField("expiresAt", b.expiresAt().toEpochMilli());
            if (b.viaPath()) {
                json.writeArrayFieldStart("path");
                for (String entry : b.path()) {
                    json.writeString(entry);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a binding", e);
        }
        return out.toString();
    }

    /** A missing text field reads as empty and a missing number as 0, as the tree model's {@code path()} gave. */
    static Binding decode(String extension, String json) {
        String node = "";
        String contact = "";
        String reachable = "";
        String transport = "";
        String source = "";
        String userAgent = "";
        String callId = "";
        long cseq = 0;
        long registeredAt = 0;
        long updatedAt = 0;
        long expiresAt = 0;
        List<String> path = List.of();
        try (JsonParser in = JSON_FACTORY.createParser(json)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("unreadable binding in Redis: not an object");
            }
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                JsonToken value = in.nextToken();
                switch (field) {
                    case "node" -> node = in.getValueAsString("");
                    case "contact" -> contact = in.getValueAsString("");
                    case "reachable" -> reachable = in.getValueAsString("");
                    case "transport" -> transport = in.getValueAsString("");
                    case "source" -> source = in.getValueAsString("");
                    case "userAgent" -> userAgent = in.getValueAsString("");
                    case "callId" -> callId = in.getValueAsString("");
                    case "cseq" -> cseq = in.getValueAsLong();
                    case "registeredAt" -> registeredAt = in.getValueAsLong();
                    case "updatedAt" -> updatedAt = in.getValueAsLong();
                    case "expiresAt" -> expiresAt = in.getValueAsLong();
                    case "path" -> path = path(in, value);
                    default -> in.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable binding in Redis: " + e.getMessage(), e);
        }
        return new Binding(extension, node, contact, reachable, transport, source, userAgent, callId, cseq,
                Instant.ofEpochMilli(registeredAt), Instant.ofEpochMilli(updatedAt), Instant.ofEpochMilli(expiresAt),
                path);
    }

    /** The entries of a path array; anything else (cjson writes an empty table as {}) is no path. */
    private static List<String> path(JsonParser in, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            in.skipChildren();
            return List.of();
        }
        List<String> path = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            path.add(in.getValueAsString(""));
            in.skipChildren();
        }
        return path;
    }
}
