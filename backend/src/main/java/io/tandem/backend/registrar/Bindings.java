package io.tandem.backend.registrar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import io.lettuce.core.Range;
import org.springframework.stereotype.Service;

/**
 * Registration bindings in Redis, the lookup API calls are routed with.
 *
 * <p>Data model: {@code tandem:{t}:reg:<ext>} is a hash; each contact is one field {@code c:<contact-uri>} whose
 * value is a JSON object (node, contact, reachable, transport, source, userAgent, callId, cseq, registeredAt,
 * updatedAt, expiresAt — times in epoch ms). Fields {@code call:<call-id>} are reserved for the calls in progress of
 * the extension (written by the B2BUA; the registrar never touches them). The key's TTL is the latest contact expiry
 * plus a grace, so a phone that vanishes leaves no trace; expired contacts inside a live key are pruned by every write
 * and skipped by every read. {@code tandem:{t}:regs} is a sorted set of registered extensions scored by their latest
 * expiry, so a tenant's registrations are listed without SCAN. All writes go through one Lua script per REGISTER,
 * atomic per address of record.
 */
@Service
public class Bindings {

    static final String CONTACT_FIELD = "c:";

    /**
     * KEYS: reg hash, regs index. ARGV: now, grace ms, max contacts, extension, Call-ID, CSeq, mode ('*' remove all,
     * 'c' changes), then (contact, json-or-empty) pairs. Returns {-1} when a contact was written by the same Call-ID
     * with a CSeq not lower (RFC 3261 §10.3 step 7: out of order), else {evicted, json...} of the live contacts.
     */
    private static final LuaScript REGISTER = new LuaScript("""
            local now = tonumber(ARGV[1])
            local grace = tonumber(ARGV[2])
            local max = tonumber(ARGV[3])
            local cseq = tonumber(ARGV[6])
            local live = {}
            local count = 0
            local flat = redis.call('HGETALL', KEYS[1])
            for i = 1, #flat, 2 do
              local f = flat[i]
              if string.sub(f, 1, 2) == 'c:' then
                local c = cjson.decode(flat[i + 1])
                if c.expiresAt <= now then
                  redis.call('HDEL', KEYS[1], f)
                else
                  live[f] = c
                  count = count + 1
                end
              end
            end
            local function outOfOrder(c)
              return c ~= nil and c.callId == ARGV[5] and cseq <= c.cseq
            end
            local evicted = 0
            if ARGV[7] == '*' then
              for f, c in pairs(live) do
                if outOfOrder(c) then return {-1} end
              end
              for f, _ in pairs(live) do redis.call('HDEL', KEYS[1], f) end
              live = {}
              count = 0
            else
              for i = 8, #ARGV, 2 do
                if outOfOrder(live['c:' .. ARGV[i]]) then return {-1} end
              end
              for i = 8, #ARGV, 2 do
                local f = 'c:' .. ARGV[i]
                if ARGV[i + 1] == '' then
                  if live[f] then
                    redis.call('HDEL', KEYS[1], f)
                    live[f] = nil
                    count = count - 1
                  end
                else
                  local c = cjson.decode(ARGV[i + 1])
                  if live[f] then
                    c.registeredAt = live[f].registeredAt
                  else
                    if count >= max then
                      local oldest, oldestAt = nil, nil
                      for g, d in pairs(live) do
                        if oldestAt == nil or d.updatedAt < oldestAt then oldest, oldestAt = g, d.updatedAt end
                      end
                      redis.call('HDEL', KEYS[1], oldest)
                      live[oldest] = nil
                      count = count - 1
                      evicted = evicted + 1
                    end
                    count = count + 1
                  end
                  live[f] = c
                  redis.call('HSET', KEYS[1], f, cjson.encode(c))
                end
              end
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
            if count == 0 then
              redis.call('ZREM', KEYS[2], ARGV[4])
            else
              local latest = 0
              for _, c in pairs(live) do
                if c.expiresAt > latest then latest = c.expiresAt end
              end
              redis.call('PEXPIREAT', KEYS[1], latest + grace)
              redis.call('ZADD', KEYS[2], latest, ARGV[4])
            end
            local out = {evicted}
            for _, c in pairs(live) do table.insert(out, cjson.encode(c)) end
            return out
            """, ScriptOutputType.MULTI);

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
        List<Object> out = redis.run(REGISTER, List.of(Keys.registration(tenant, extension),
                Keys.registrations(tenant)), args.toArray(String[]::new));
        long first = ((Number) out.get(0)).longValue();
        if (first < 0) {
            return new WriteResult(true, 0, List.of());
        }
        List<Binding> current = new ArrayList<>();
        for (int i = 1; i < out.size(); i++) {
            current.add(decode(extension, String.valueOf(out.get(i))));
        }
        current.sort(Comparator.comparing(Binding::updatedAt).reversed());
        return new WriteResult(false, (int) first, current);
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
            if (field.getKey().startsWith(CONTACT_FIELD)) {
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
