package io.tandem.backend.conference;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeCommand;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's command stream ({@link CallbackKeys#nodeCommands}) as consumer group
 * {@link CallbackKeys#NODE_GROUP} on a connection and thread of its own: on start, first its own pending entries
 * (commands read before a crash and never acknowledged), then new ones with {@code XREADGROUP BLOCK}. Commands are
 * delivered at least once; each id is carried out once ({@link CallbackKeys#doneCommand}, SET NX with a TTL, taken
 * before the command runs: a node dying mid-command leaves it undone rather than done twice — the service's timeout
 * then tickets the caller). Every entry is acknowledged after it is handled, a malformed one too (logged, counted).
 */
public final class NodeCommands implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeCommands.class);
    /** Entries read per round. */
    private static final int BATCH = 16;
    /** Pause after a failed read before the next, so a Redis outage is not a busy loop. */
    private static final long RETRY_MILLIS = 1_000;

    private final Redis redis;
    private final String nodeId;
    private final String stream;
    private final Rooms rooms;
    private final ConferenceProperties properties;
    private final Counter handled;
    private final Counter duplicates;
    private final Counter malformed;
    private final Counter noRoom;
    private final Counter readFailures;
    private final Counter failed;
    private volatile boolean running;
    /** Who works tickets on this node, once registered. */
    private volatile TicketCommands tickets;
    private Thread reader;

    NodeCommands(Redis redis, String nodeId, Rooms rooms, ConferenceProperties properties, MeterRegistry registry) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.stream = Keys.nodeCommands(nodeId);
        this.rooms = rooms;
        this.properties = properties;
        this.handled = counter(registry, "handled", "node commands carried out");
        this.duplicates = counter(registry, "duplicate", "node commands seen again and not carried out twice");
        this.malformed = counter(registry, "malformed", "node command entries that could not be read, acknowledged");
        this.noRoom = counter(registry, "no-room", "node commands for a room this node does not hold");
        this.readFailures = counter(registry, "read-failed", "failed reads of the node's command stream");
        this.failed = counter(registry, "failed", "node commands that failed while carried out (logged at ERROR)");
    }

    private static Counter counter(MeterRegistry registry, String outcome, String description) {
        return Counter.builder("tandem.conference.commands").tag("outcome", outcome).description(description)
                .register(registry);
    }

    /** Tickets handed to this node are worked by {@code commands}. */
    public void serve(TicketCommands commands) {
        tickets = commands;
    }

    /** Starts the reader thread. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        reader = new Thread(this::run, "tandem-node-commands");
        reader.setDaemon(true);
        reader.start();
    }

    private void run() {
        while (running) {
            try (StatefulRedisConnection<String, String> connection = redis.dedicated()) {
                RedisCommands<String, String> commands = connection.sync();
                createGroup(commands);
                // our own pending entries first: read before a crash or a lost connection, never acknowledged
                while (running && readAndHandle(commands, XReadArgs.StreamOffset.from(stream, "0"), false) > 0) {
                    log.debug("node commands: pending entries handled");
                }
                while (running) {
                    readAndHandle(commands, XReadArgs.StreamOffset.lastConsumed(stream), true);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                readFailures.increment();
                log.warn("node commands of {}: reading {} failed ({}); again in {} ms", nodeId, stream,
                        e.getMessage(), RETRY_MILLIS);
                pause();
            }
        }
    }

    /** The group reads the stream from its start, so a command written before this node first read is not lost. */
    private void createGroup(RedisCommands<String, String> commands) {
        try {
            commands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), CallbackKeys.NODE_GROUP,
                    XGroupCreateArgs.Builder.mkstream());
            log.info("node commands: consumer group {} created on {}", CallbackKeys.NODE_GROUP, stream);
        } catch (RedisBusyException exists) {
            log.debug("node commands: consumer group {} exists on {}", CallbackKeys.NODE_GROUP, stream);
        }
    }

    private int readAndHandle(RedisCommands<String, String> commands, XReadArgs.StreamOffset<String> from,
            boolean block) {
        XReadArgs args = XReadArgs.Builder.count(BATCH);
        if (block) {
            args.block(properties.commandBlockMillis());
        }
        List<StreamMessage<String, String>> entries = commands.xreadgroup(
                Consumer.from(CallbackKeys.NODE_GROUP, nodeId), args, from);
        for (StreamMessage<String, String> entry : entries) {
            handle(entry);
            commands.xack(stream, CallbackKeys.NODE_GROUP, entry.getId());
        }
        return entries.size();
    }

    private void handle(StreamMessage<String, String> entry) {
        NodeCommand command;
        try {
            command = NodeCommand.of(entry.getBody());
            Keys.doneCommand(nodeId, command.id()); // checks the id's shape
        } catch (IllegalArgumentException e) {
            malformed.increment();
            log.warn("node commands: entry {} of {} is no command ({}): {}", entry.getId(), stream, e.getMessage(),
                    entry.getBody());
            return;
        }
        if (!firstTime(command.id())) {
            duplicates.increment();
            log.info("node commands: command {} ({}) was carried out already", command.id(), command.kind().wire());
            return;
        }
        if (command.kind() == NodeCommand.Kind.OFFER_TICKET || command.kind() == NodeCommand.Kind.WITHDRAW_TICKET) {
            ticket(command);
            return;
        }
        Optional<Room> room = rooms.find(command.room())
                .filter(r -> r.parked().tenant().equals(command.tenant()));
        Room.Occupant occupant = room.map(Room::occupant).orElse(null);
        if (occupant == null) {
            noRoom.increment();
            log.info("node commands: {} {} for room {} of {}: not a room of this node (closed?)", command.kind().wire(),
                    command.id(), command.room(), command.tenant());
            return;
        }
        log.info("node commands: {} {} for {} (user '{}', reason '{}')", command.kind().wire(), command.id(),
                room.get(), command.user(), command.reason());
        try {
            switch (command.kind()) {
                case CALL_INTO_ROOM -> occupant.callInto(command.user(), command.id());
                case CLOSE_ROOM -> occupant.closeFor(command.reason().isEmpty() ? "closed" : command.reason());
            }
            handled.increment();
        } catch (RuntimeException e) {
            failed.increment();
            log.error("node commands: {} {} for {} failed", command.kind().wire(), command.id(), room.get(), e);
        }
    }

    private void ticket(NodeCommand command) {
        TicketCommands worker = tickets;
        if (worker == null) {
            noRoom.increment();
            log.warn("node commands: {} {} for ticket {}: this node works no tickets", command.kind().wire(),
                    command.id(), command.room());
            return;
        }
        log.info("node commands: {} {} for ticket {} of {} (assignee '{}')", command.kind().wire(), command.id(),
                command.room(), command.tenant(), command.user());
        try {
            if (command.kind() == NodeCommand.Kind.OFFER_TICKET) {
                worker.offer(command);
            } else {
                worker.withdraw(command);
            }
            handled.increment();
        } catch (RuntimeException e) {
            failed.increment();
            log.error("node commands: {} {} for ticket {} failed", command.kind().wire(), command.id(),
                    command.room(), e);
        }
    }

    /** SET NX with a TTL: true for the first delivery of {@code commandId}. */
    private boolean firstTime(String commandId) {
        String set = redis.commands().set(Keys.doneCommand(nodeId, commandId), "1",
                SetArgs.Builder.nx().ex(properties.commandDoneSeconds()));
        return "OK".equals(set);
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = reader;
        }
        if (stopping != null) {
            stopping.interrupt();
        }
    }
}
