package io.tandem.backend.conference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.protocol.callback.RoomEvent;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms this node holds: a parked caller's call opens one ({@link #open}), the node's commands find it by id.
 * When the node stops, every room still open is closed as {@link RoomEvent.Kind#LOST}, so the callback service
 * tickets its caller rather than waiting for a join that cannot come.
 */
public final class Rooms {

    private static final Logger log = LoggerFactory.getLogger(Rooms.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoomScripts scripts;
    private final ScheduledExecutorService mixerClock;
    private final Map<String, Room> open = new ConcurrentHashMap<>();
    private final Counter closeFailures;

    Rooms(RoomScripts scripts, ScheduledExecutorService mixerClock, MeterRegistry registry) {
        this.scripts = scripts;
        this.mixerClock = mixerClock;
        this.closeFailures = Counter.builder("tandem.conference.close.failures")
                .description("rooms whose closing could not be written to Redis").register(registry);
        Gauge.builder("tandem.conference.rooms", open, Map::size).description("rooms this node holds")
                .register(registry);
    }

    /**
     * Opens a room for a caller being parked (PARKED on the room-event stream). Throws when Redis cannot record it:
     * a room nobody knows of would never be joined.
     */
    public Room open(Room.Parked parked) {
        String id = newId();
        Room room = new Room(id, parked, scripts, mixerClock, this);
        if (!scripts.open(id, parked)) {
            throw new IllegalStateException("room id " + id + " is taken");
        }
        open.put(id, room);
        log.info("room {} opened on {} for {} from {} (queue {}@{}, {})", id, scripts.nodeId(), parked.callId(),
                parked.callerNumber(), parked.queue(), parked.tenant(), parked.reason());
        return room;
    }

    /** An open room of this node. */
    public Optional<Room> find(String roomId) {
        return Optional.ofNullable(roomId == null ? null : open.get(roomId));
    }

    /** Rooms this node holds now. */
    public int size() {
        return open.size();
    }

    /** Now, by the node's clock (epoch ms). */
    public long now() {
        return scripts.clock().millis();
    }

    void forget(Room room) {
        open.remove(room.id(), room);
    }

    void closeFailed() {
        closeFailures.increment();
    }

    /** The node stops: every open room is lost (its caller's leg goes with the node). */
    void close() {
        for (Room room : new ArrayList<>(open.values())) {
            room.close(RoomEvent.Kind.LOST, "node-stopped");
        }
    }

    private static String newId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }
}
