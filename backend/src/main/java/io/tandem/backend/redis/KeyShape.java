package io.tandem.backend.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shape of every key (and channel) of a tenant: {@code tandem:{<tenant>}:} followed by literal parts and values,
 * written here once. {@link Keys} builds keys from these shapes in Java (after checking each value), and
 * {@link LuaScript} hands the same shapes to every Lua script as the functions of its {@code K} table, so a key a
 * script discovers while running (the agents of a queue, the binding hash of a reserved agent) is built from the
 * shape Java uses, and always carries the tenant's hash tag: on Redis Cluster every key of one script run is on the
 * tenant's slot.
 */
public enum KeyShape {

    USER("user:%"),
    USERS("users"),
    REGISTRATION("reg:%"),
    REGISTRATIONS("regs"),
    NONCE_COUNT("nc:%"),
    LIVE_CALLS("calls:live"),
    CALL_MONITORS("calls:monitors"),
    AGENT("agent:%"),
    AGENT_STATS("agent:%:stats:%"),
    AGENTS_WITH_STATS("agents:stats:%"),
    QUEUE_WAIT("q:%:wait"),
    CALL("call:%"),
    DIALOG("dialog:%"),
    EVENTS("events"),
    CDR("cdr"),
    CALLBACKS("callbacks"),
    QUEUE_LOG("queuelog"),
    AVAILABLE_AGENTS("agents:available"),
    AVAILABLE_AGENTS_BY_CALLS("agents:by-calls"),
    AVAILABLE_AGENTS_BY_TALK("agents:by-talk"),
    AGENT_SESSIONS("agents"),
    DIRECT_CALLS("direct:%"),
    PRESENCE_ROUND("presence-round"),
    AGENT_TIMERS("agents:timers"),
    OFFER("offer:%"),
    QUEUES("queues"),
    QUEUE_DIGESTS("queues:digest"),
    QUEUE("q:%:def"),
    QUEUE_MEMBERS("q:%:members"),
    QUEUE_TIERS("q:%:tiers"),
    QUEUE_READY("q:%:ready"),
    QUEUE_PARKED("q:%:parked"),
    QUEUE_STATE("q:%:state"),
    QUEUE_STATS("q:%:stats:%"),
    QUEUE_CALLER("caller:%"),
    ROOM("room:%"),
    ROOMS("rooms"),
    ROOM_EVENTS("rooms:events"),
    TICKET("ticket:%"),
    TICKET_EVENTS("tickets:events"),
    USED_JOIN_TOKEN("jointoken:%"),
    LIVE_EVENTS("live"),
    API_KEYS("api-keys"),
    PUSH_BINDINGS("push:%"),
    DEVICE_EVENTS("devices:events"),
    CALL_WAKES("calls:wakes"),
    TRUNKS("trunks"),
    TRUNK_SECRETS("trunks:secrets"),
    TRUNK_CHANNELS("trunk:%:channels"),
    TRUNK_ATTEMPTS("trunk:%:attempts"),
    TRUNK_REGISTRATIONS("trunk:%:registrations"),
    TRUNK_HEALTH("trunks:health"),
    TRUNK_FAILURES("trunks:failures"),
    DIDS("dids"),
    DIAL_PLAN("dial-plan"),
    DIAL_PERMISSIONS("dial-permissions"),
    CAMPAIGNS("campaigns"),
    CAMPAIGN_CONTACTS("campaign:%:contacts"),
    CAMPAIGN_DUE("campaign:%:due"),
    CAMPAIGN_DIALLING("campaign:%:dialling"),
    CAMPAIGN_FIGURES("campaign:%:figures"),
    CAMPAIGN_ATTEMPTS("campaign:%:attempts"),
    CAMPAIGN_DNC("campaign:%:dnc"),
    CAMPAIGN_PACING("campaign:%:pacing"),
    CAMPAIGN_EXPOSED("campaign:%:exposed"),
    CAMPAIGNS_RUNNING("campaigns:running"),
    DO_NOT_CALL("dnc"),
    DIALER_LIMITS("dialer:limits"),
    DIALER_NODE_LIMITS("dialer:limits:node:%"),
    OUTBOUND_NODE_CHANNELS("outbound:node:%:channels"),
    OUTBOUND_NODE_ATTEMPTS("outbound:node:%:attempts"),
    OUTBOUND_CHANNELS("outbound:%:channels"),
    TILE_THRESHOLDS("tile-thresholds"),
    TICKETS("tickets");

    /** The literal parts around the values ({@code %} in the template): one more than there are values. */
    private final String[] literals;

    KeyShape(String template) {
        this.literals = template.split("%", -1);
        for (String literal : literals) {
            // Literals go into Lua source between single quotes and must never change the hash tag.
            if (!literal.matches("[a-z:-]*")) {
                throw new IllegalArgumentException("key shape literal '" + literal + "'");
            }
        }
    }

    /** How many values the shape takes. */
    public int arity() {
        return literals.length - 1;
    }

    /**
     * The name scripts call the shape by ({@code K.queueWait(queue)}) and, by the same token, the name of its
     * builder in {@link Keys}.
     */
    public String luaName() {
        StringBuilder name = new StringBuilder();
        for (String word : name().toLowerCase(Locale.ROOT).split("_")) {
            name.append(name.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }

    /** The key for a tenant; the values must have been checked by the caller ({@link Keys} does). */
    String key(String tenant) {
        requireArity(0);
        return Keys.tenant(tenant) + literals[0];
    }

    String key(String tenant, String value) {
        requireArity(1);
        return Keys.tenant(tenant) + literals[0] + value + literals[1];
    }

    String key(String tenant, String first, String second) {
        requireArity(2);
        return Keys.tenant(tenant) + literals[0] + first + literals[1] + second + literals[2];
    }

    private void requireArity(int values) {
        if (arity() != values) {
            throw new IllegalArgumentException(this + " takes " + arity() + " values, not " + values);
        }
    }

    /**
     * The Lua function of this shape in the {@code K} table: the tenant prefix (the upvalue {@code KP}, which only
     * the script's prelude sets) and the literal parts, joined with the values.
     */
    String luaFunction() {
        List<String> parameters = new ArrayList<>();
        StringBuilder body = new StringBuilder("KP");
        for (int i = 0; i < literals.length; i++) {
            if (!literals[i].isEmpty()) {
                body.append(" .. '").append(literals[i]).append('\'');
            }
            if (i < arity()) {
                String parameter = "v" + (i + 1);
                parameters.add(parameter);
                body.append(" .. ").append(parameter);
            }
        }
        return "function K." + luaName() + "(" + String.join(", ", parameters) + ") return " + body + " end";
    }
}
