package io.tandem.callback.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.CallbackProperties;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.callback.push.PushKind;
import io.tandem.callback.push.PushMessage;
import io.tandem.callback.ticket.TicketWork;
import io.tandem.callback.ticket.Tickets;
import io.tandem.protocol.callback.CallWake;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.DeviceEvent;
import io.tandem.protocol.callback.JoinToken;
import io.tandem.protocol.callback.NodeCommand;
import io.tandem.protocol.callback.NodeKeys;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.protocol.callback.TicketEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service does for parked callers (architecture decision 9), for one event (several events run at once on
 * a tenant's handler threads, those of one room in order: see {@link TenantConsumer}):
 *
 * <ul>
 *   <li>PARKED: wake the queue's sleeping members ({@link WakeList}) with a ring push carrying a one-time
 *       {@link JoinToken}; remember the room and whom it woke in Redis, so any instance carries on. A queue that wakes
 *       by tiers ({@link WakeSetting}) has its lowest tier woken now and the next one added every tier delay while
 *       nobody joined ({@link #wakeNextTier}, from {@link RoomService}'s tier check; {@link WakeSchedule}).</li>
 *   <li>A woken agent's device registers ({@link DeviceEvent}) while the room is still parked: command the room's node
 *       to call that agent into the room ({@link NodeCommand.Kind#CALL_INTO_ROOM}, id = room and user, so a repeat is
 *       carried out once).</li>
 *   <li>JOINED: cancel the ring on every other woken device (same collapse id). ABANDONED: cancel them all.</li>
 *   <li>CLOSED with reason {@code timeout}, LOST, or the room's node gone (no heartbeat) while its hash still says
 *       {@code parked}: open a callback ticket that keeps the caller's place, and cancel the rings. A room the node
 *       had answered is never ticketed, whichever instance handles its JOINED and when.</li>
 * </ul>
 *
 * Every step is idempotent (pushes through the shared ledger, tickets created once per room, commands by id), so an
 * event handled twice — redelivered, or taken over from a dead instance — changes nothing the second time.
 */
public final class RoomOrchestrator {

    private static final Logger log = LoggerFactory.getLogger(RoomOrchestrator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The node's room hash says a caller still waits. */
    private static final String PARKED_STATE = "parked";
    /** A node's command stream is trimmed to about this many entries (commands are carried out within seconds). */
    private static final long COMMANDS_MAX_LENGTH = 10_000;
    /**
     * KEYS[1] the watch set ({@link ServiceKeys#parkedRooms}), KEYS[2] the room's hash; ARGV[1] room, ARGV[2] its
     * PARKED event. The room is watched unless its hash says it was answered ({@code state} {@code connected}), in
     * one step with that read: the node's join.lua changes the state before it writes JOINED, so a room answered
     * before this runs is not added, and one answered after it is removed again by its JOINED's handling. Without the
     * one step, a JOINED handled on another instance between the read and the write left an answered room watched,
     * and ticketed when its node died. A room already closed is still written: its CLOSED or ABANDONED, handled next,
     * tickets the caller from this PARKED (the only event with the caller's number and name) and forgets the room.
     * Returns 1 when watched, 0 when not.
     */
    private static final String WATCH = """
            local state = redis.call('HGET', KEYS[2], 'state')
            if state == 'connected' then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            return 1
            """;

    private final RedisCommands<String, String> redis;
    private final CallbackProperties properties;
    private final WakeList wakeList;
    private final RoomPushes pushes;
    private final Tickets tickets;
    private final TicketWork work;
    private final Clock clock;
    private final CallRinger calls;
    private final WakeSchedule schedule;
    private final byte[] secret;
    /** Wake records outlive the room's park timeout by this much, then Redis drops them by itself. */
    private final Duration wakeRecordTtl;

    RoomOrchestrator(RedisCommands<String, String> redis, CallbackProperties properties, WakeList wakeList,
            RoomPushes pushes, Tickets tickets, TicketWork work, Clock clock, CallRinger calls, WakeSchedule schedule) {
        this.schedule = schedule;
        this.work = work;
        this.calls = calls;
        this.redis = redis;
        this.properties = properties;
        this.wakeList = wakeList;
        this.pushes = pushes;
        this.tickets = tickets;
        this.clock = clock;
        this.secret = properties.clusterSecret().getBytes(StandardCharsets.UTF_8);
        this.wakeRecordTtl = properties.parkTimeout().plusHours(1);
    }

    /** Handles one entry of a tenant's room events. */
    public void onRoomEvent(String tenant, RoomEvent event) {
        switch (event.kind()) {
            case PARKED -> parked(tenant, event);
            case JOINED -> joined(tenant, event);
            case REFUSED -> log.info("room {}: {} was refused ({})", event.room(), event.agent(), event.reason());
            case ABANDONED -> {
                log.info("room {}: the caller {} hung up while parked", event.room(), event.callerNumber());
                if (RoomEvent.ABANDONED_CALL_BACK.equals(event.reason())) {
                    ticket(tenant, event, "abandoned"); // the queue calls back even a caller who hung up
                } else {
                    finish(tenant, event.room());
                }
            }
            case CLOSED -> {
                if ("timeout".equals(event.reason())) {
                    ticket(tenant, event, "timeout");
                } else {
                    finish(tenant, event.room());
                }
            }
            case LOST -> ticket(tenant, event, "lost");
        }
    }

    /** Handles one entry of a tenant's call wakes: a call ringing a sleeping callee, answered or cancelled. */
    public void onCallWake(String tenant, CallWake wake) {
        calls.onCallWake(tenant, wake);
    }

    /** Handles one entry of a tenant's ticket events: what the node working a ticket reports. */
    public void onTicketEvent(String tenant, TicketEvent event) {
        work.onTicketEvent(tenant, event);
    }

    /** Handles one entry of a tenant's device events. */
    public void onDeviceEvent(String tenant, DeviceEvent event) {
        for (String room : redis.smembers(ServiceKeys.wokenFor(tenant, event.user()))) {
            Map<String, String> state = redis.hgetall(CallbackKeys.room(tenant, room));
            String node = state.getOrDefault("node", "");
            if (!PARKED_STATE.equals(state.get("state")) || node.isEmpty()) {
                redis.srem(ServiceKeys.wokenFor(tenant, event.user()), room);
                continue;
            }
            String calledIn = ServiceKeys.calledIn(tenant, room, event.user());
            if (redis.exists(calledIn) > 0) {
                log.debug("room {}: {} is already being called in", room, event.user());
                continue;
            }
            NodeCommand command = new NodeCommand(room + ":" + event.user(), NodeCommand.Kind.CALL_INTO_ROOM, tenant,
                    room, event.user(), "", clock.millis());
            redis.xadd(CallbackKeys.nodeCommands(node),
                    XAddArgs.Builder.maxlen(COMMANDS_MAX_LENGTH).approximateTrimming(), command.fields());
            // Written after the command: a crash in between repeats the command, which the node carries out once.
            redis.set(calledIn, command.id(), SetArgs.Builder.px(wakeRecordTtl.toMillis()));
            log.info("room {}: {}'s device {} registered at {}; node {} told to call {} into the room", room,
                    event.user(), event.device(), event.node(), node, event.user());
        }
    }

    /** Tickets the parked callers of the tenant whose node has stopped beating (it died holding them). */
    public void checkNodes(String tenant) {
        for (Map.Entry<String, String> entry : redis.hgetall(ServiceKeys.parkedRooms(tenant)).entrySet()) {
            Optional<RoomEvent> parked = decode(entry.getKey(), entry.getValue());
            if (parked.isEmpty()) {
                redis.hdel(ServiceKeys.parkedRooms(tenant), entry.getKey());
                continue;
            }
            if (redis.exists(NodeKeys.node(parked.get().node())) == 0) {
                String state = redis.hget(CallbackKeys.room(tenant, entry.getKey()), "state");
                if (state != null && !PARKED_STATE.equals(state)) {
                    // Answered or closed before its node died, its JOINED or CLOSED not handled yet (or the entry
                    // written before the watch script): those events tell the rest; a connected customer gets no
                    // callback.
                    log.warn("room {}: watched while its node {} says {}; dropped, not ticketed", entry.getKey(),
                            parked.get().node(), state);
                    redis.hdel(ServiceKeys.parkedRooms(tenant), entry.getKey());
                    continue;
                }
                log.warn("room {}: node {} holding caller {} has no heartbeat; the caller is ticketed",
                        entry.getKey(), parked.get().node(), parked.get().callerNumber());
                ticket(tenant, parked.get(), "node-lost");
            }
        }
    }

    private void parked(String tenant, RoomEvent event) {
        Map<String, String> room = redis.hgetall(CallbackKeys.room(tenant, event.room()));
        long expiresAt = deadline(room).orElse(event.at() + properties.parkTimeout().toMillis());
        String roomState = room.get("state");
        if (expiresAt <= clock.millis() || (roomState != null && !PARKED_STATE.equals(roomState))) {
            // Read late (a new consumer group starts at the stream's beginning, or a backlog): a ring whose join
            // token has expired, or for a room no longer parked, would wake an agent for nothing.
            log.info("room {}: nobody woken, {}", event.room(), expiresAt <= clock.millis()
                    ? "its PARKED was read after the park timeout" : "the node has the room " + roomState);
            watch(tenant, event, List.of());
            return;
        }
        List<Woken> asleep = wakeList.whom(tenant, event.queue(), clock.millis());
        if (asleep.isEmpty()) {
            watch(tenant, event, List.of());
            log.warn("room {}: caller {} parked on queue {} but no member of it is asleep with a push binding; "
                    + "the caller waits for the park timeout", event.room(), event.callerNumber(), event.queue());
            return;
        }
        WakeSetting setting = WakeSetting.of(event.room(), room);
        if (!setting.tiers()) {
            ring(tenant, event, asleep, expiresAt);
            if (!watch(tenant, event, asleep)) {
                return;
            }
            log.info("room {}: caller {} parked on queue {} at node {}; woke {} device(s) of {}", event.room(),
                    event.callerNumber(), event.queue(), event.node(), asleep.size(),
                    asleep.stream().map(Woken::user).distinct().toList());
            return;
        }
        TierPlan plan = wakeList.plan(tenant, event.queue(), asleep);
        int first = plan.firstTier().orElseThrow(); // the plan holds every device found asleep
        List<Woken> devices = plan.upTo(first);
        ring(tenant, event, devices, expiresAt);
        if (!watch(tenant, event, devices)) {
            return;
        }
        OptionalInt next = plan.tierAfter(first);
        if (next.isPresent()) {
            // After the room is watched: a tier is only ever woken for a room the service still looks after.
            schedule.start(tenant, event.room(), first, clock.millis() + setting.tierDelay().toMillis());
        }
        log.info("room {}: caller {} parked on queue {} at node {}; woke tier {}, {} device(s) of {}; {}", event.room(),
                event.callerNumber(), event.queue(), event.node(), first, devices.size(),
                devices.stream().map(Woken::user).distinct().toList(), next.isPresent() ? "tier "
                        + next.getAsInt() + " in " + setting.tierDelay() + " if nobody joins" : "no later tier");
    }

    /**
     * Wakes the room's next member tier, its delay over without a join (called for a room {@link WakeSchedule} has
     * due, in the room's lane): the devices of every tier up to it not woken yet, the same room, token and collapse
     * id as the first tier's. Nothing is woken for a room that is over (joined, closed, timed out, its node gone) or
     * whose tier another instance took; the last tier ends the schedule.
     */
    public void wakeNextTier(String tenant, String room) {
        long now = clock.millis();
        if (!schedule.claim(tenant, room, now, now + properties.claimIdle().toMillis())) {
            return; // another instance is waking it, or the room was forgotten meanwhile
        }
        Optional<RoomEvent> parked = decode(room, redis.hget(ServiceKeys.parkedRooms(tenant), room));
        Map<String, String> hash = redis.hgetall(CallbackKeys.room(tenant, room));
        long expiresAt = deadline(hash).orElse(parked.map(p -> p.at() + properties.parkTimeout().toMillis())
                .orElse(now));
        OptionalInt reached = schedule.reached(tenant, room);
        if (parked.isEmpty() || !PARKED_STATE.equals(hash.get("state")) || expiresAt <= now || reached.isEmpty()) {
            schedule.forget(tenant, room);
            log.info("room {}: no further tier woken, the room is over", room);
            return;
        }
        TierPlan plan = wakeList.plan(tenant, parked.get().queue(), wakeList.whom(tenant, parked.get().queue(), now));
        OptionalInt tier = plan.tierAfter(reached.getAsInt());
        if (tier.isEmpty()) {
            schedule.forget(tenant, room);
            log.info("room {}: no member above tier {} is asleep any more; nobody else woken", room,
                    reached.getAsInt());
            return;
        }
        Set<String> already = redis.hkeys(ServiceKeys.woken(tenant, room)).stream().collect(Collectors.toSet());
        List<Woken> devices = plan.upTo(tier.getAsInt()).stream()
                .filter(device -> !already.contains(device.binding().device())).toList();
        ring(tenant, parked.get(), devices, expiresAt);
        if (!stillParked(tenant, room)) {
            cancelLateRings(tenant, room, devices);
            schedule.forget(tenant, room);
            return;
        }
        WakeSetting setting = WakeSetting.of(room, hash);
        OptionalInt after = plan.tierAfter(tier.getAsInt());
        if (after.isPresent()) {
            schedule.advance(tenant, room, tier.getAsInt(), clock.millis() + setting.tierDelay().toMillis());
        } else {
            schedule.forget(tenant, room);
        }
        log.info("room {}: nobody joined within {}; tier {} woken, {} more device(s) of {}{}", room,
                setting.tierDelay(), tier.getAsInt(), devices.size(),
                devices.stream().map(Woken::user).distinct().toList(),
                after.isPresent() ? ", tier " + after.getAsInt() + " next" : ", the last tier");
    }

    /**
     * Rings {@code devices} for the parked caller: recorded in the room's wake record first (so a JOINED or the end
     * of the room cancels them), then one ring push each with a join token that expires with the room.
     */
    private void ring(String tenant, RoomEvent event, List<Woken> devices, long expiresAt) {
        if (devices.isEmpty()) {
            return;
        }
        String woken = ServiceKeys.woken(tenant, event.room());
        for (Woken device : devices) {
            redis.hset(woken, device.binding().device(), encode(device));
            redis.sadd(ServiceKeys.wokenFor(tenant, device.user()), event.room());
            redis.pexpire(ServiceKeys.wokenFor(tenant, device.user()), wakeRecordTtl.toMillis());
        }
        redis.pexpire(woken, wakeRecordTtl.toMillis());
        long waited = Math.max(0, (clock.millis() - event.enqueuedAt()) / 1000);
        pushes.send(tenant, event.room(), devices, device -> new PushMessage(PushKind.RING,
                RoomPushes.deviceOf(device.binding()), event.room(), event.callerNumber(), event.callerName(),
                event.queue(), waited,
                JoinToken.create(tenant, event.room(), device.user(), expiresAt).sign(secret)));
    }

    /** The service still looks after the room and its node still has the caller parked in it. */
    private boolean stillParked(String tenant, String room) {
        return redis.hexists(ServiceKeys.parkedRooms(tenant), room)
                && PARKED_STATE.equals(redis.hget(CallbackKeys.room(tenant, room), "state"));
    }

    /**
     * When the node closes the room: its {@code deadline} (the queue's own park timeout, which may differ from the
     * service's {@code park-timeout}), so a join token lives exactly as long as the room it opens. Empty for a room
     * hash without one (gone already, or written before nodes kept it).
     */
    private static Optional<Long> deadline(Map<String, String> room) {
        String deadline = room.get("deadline");
        if (deadline == null || !deadline.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(deadline));
    }

    /**
     * From now on the room is checked for its node's heartbeat ({@link #WATCH}), unless its node has it answered
     * already. Written after the rings went out, so a check that finds the node gone cancels every ring the
     * room started; when the room is not watched, the {@code rung} devices are cancelled here instead.
     */
    private boolean watch(String tenant, RoomEvent event, List<Woken> rung) {
        Long watched = redis.eval(WATCH, ScriptOutputType.INTEGER,
                new String[] {ServiceKeys.parkedRooms(tenant), CallbackKeys.room(tenant, event.room())},
                event.room(), encode(event));
        if (watched != null && watched == 1) {
            return true;
        }
        log.info("room {}: answered on node {} before its PARKED was handled; not watched", event.room(),
                event.node());
        cancelLateRings(tenant, event.room(), rung);
        return false;
    }

    /**
     * The room was joined or closed while {@code devices} were rung: the handler of that event may have read the wake
     * record before they were in it, so they are cancelled here (the ledger sends each cancel once); not the
     * winner's, who is in the call.
     */
    private void cancelLateRings(String tenant, String room, List<Woken> devices) {
        String winner = redis.hget(CallbackKeys.room(tenant, room), "agent");
        cancel(tenant, room, devices.stream().filter(device -> !device.user().equals(winner)).toList());
    }

    private void joined(String tenant, RoomEvent event) {
        redis.hdel(ServiceKeys.parkedRooms(tenant), event.room());
        schedule.forget(tenant, event.room());
        List<Woken> others = new ArrayList<>();
        for (Woken device : woken(tenant, event.room())) {
            if (!device.user().equals(event.agent())) {
                others.add(device);
            }
        }
        cancel(tenant, event.room(), others);
        // The winner's own devices are in the call: no cancel reaches them, now or when the room closes.
        redis.del(ServiceKeys.woken(tenant, event.room()));
        log.info("room {}: {} joined; the ring cancelled on {} other device(s)", event.room(), event.agent(),
                others.size());
    }

    private void ticket(String tenant, RoomEvent event, String reason) {
        RoomEvent parked = decode(event.room(), redis.hget(ServiceKeys.parkedRooms(tenant), event.room()))
                .orElse(event);
        tickets.open(tenant, parked, reason).ifPresent(ticket -> work.opened(tenant, ticket));
        finish(tenant, event.room());
    }

    /** The room is over for the service: stop every ring it started, forget it. */
    private void finish(String tenant, String room) {
        schedule.forget(tenant, room);
        cancel(tenant, room, woken(tenant, room));
        redis.hdel(ServiceKeys.parkedRooms(tenant), room);
        redis.del(ServiceKeys.woken(tenant, room));
    }

    private void cancel(String tenant, String room, List<Woken> devices) {
        pushes.send(tenant, room, devices, device -> new PushMessage(PushKind.CANCEL,
                RoomPushes.deviceOf(device.binding()), room, "", "", "", 0, ""));
    }

    private List<Woken> woken(String tenant, String room) {
        List<Woken> devices = new ArrayList<>();
        for (Map.Entry<String, String> entry : redis.hgetall(ServiceKeys.woken(tenant, room)).entrySet()) {
            try {
                devices.add(JSON.readValue(entry.getValue(), Woken.class));
            } catch (JsonProcessingException e) {
                log.warn("room {}: wake record of device {} is not readable; no cancel for it", room, entry.getKey(),
                        e);
            }
        }
        return devices;
    }

    private static Optional<RoomEvent> decode(String room, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RoomEvent.of(JSON.readValue(value, new TypeReference<Map<String, String>>() {
            })));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            log.warn("room {}: the parked record is not readable; dropped", room, e);
            return Optional.empty();
        }
    }

    private static String encode(Object value) {
        try {
            return JSON.writeValueAsString(value instanceof RoomEvent event ? event.fields() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and numbers are always JSON", e);
        }
    }
}
