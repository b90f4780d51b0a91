package io.tandem.callback.push;

/**
 * The idempotency key of a push: the room and the device, and the kind — a ring and its cancel are two pushes to
 * the same device about the same room, and the cancel must not be swallowed as a repeat of the ring.
 */
public record PushKey(PushKind kind, String roomId, PushNetwork network, String prid) {
}
