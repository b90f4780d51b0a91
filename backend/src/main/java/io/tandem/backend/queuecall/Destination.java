package io.tandem.backend.queuecall;

import io.tandem.backend.acd.queues.QueueDefinition;

/**
 * Where a caller goes when it leaves its queue without an agent (the exit key, the maximum wait, a door that
 * refuses it), as a type: the queue's definition keeps the wire form ({@code kind} and {@code target} strings, as
 * the REST API and the seed file write them); the call reads it once through {@link #of} and switches on the type.
 */
sealed interface Destination {

    /** Nowhere: the call ends (a BYE after the exit key or the maximum wait; the door's refusal stands). */
    record Nowhere() implements Destination {
    }

    /** Another queue of the tenant: the caller keeps its call and music on this node and waits there. */
    record Queue(String number) implements Destination {
    }

    /**
     * An extension, put through from this node.
     *
     * @param orCallback when it cannot be reached, a callback request instead of an apology
     */
    record Extension(String number, boolean orCallback) implements Destination {
    }

    /** A callback request, confirmed to the caller before the BYE. */
    record Callback() implements Destination {
    }

    /**
     * A room on this node (the queue's park setting), where the callback service wakes an agent to join the caller.
     *
     * @param reason why: {@code no-agent} (nobody available on arrival), {@code key} (the exit key), {@code wait}
     */
    record Park(String reason) implements Destination {
    }

    /** The definition's destination as a type; the definition was validated when it was stored. */
    static Destination of(QueueDefinition.Destination definition) {
        return switch (definition.kind()) {
            case "queue" -> new Queue(definition.target());
            case "extension" -> new Extension(definition.target(), definition.orCallback());
            case "callback" -> new Callback();
            default -> new Nowhere();
        };
    }

    /** How the queue log names it: {@code kind} or {@code kind:target}, as the definition spells it. */
    default String wire() {
        if (this instanceof Queue queue) {
            return "queue:" + queue.number();
        }
        if (this instanceof Extension extension) {
            return "extension:" + extension.number();
        }
        if (this instanceof Park) {
            return "park";
        }
        return this instanceof Callback ? "callback" : "none";
    }
}
