package io.tandem.backend.queuecall;

import io.tandem.telephony.rtp.MediaStream;

/**
 * The media of a call a supervisor can be joined to, whatever carries it: a queue or ticket call's two-party
 * {@link CallBridge}, or a callback room's mixer ({@link RoomTap}). {@link MonitorLegs} calls the supervisor and
 * joins the answered stream here; who hears the supervisor is the {@link MonitorMode}'s to say. One supervisor at a
 * time (one monitor per call, {@link CallMonitors}). Called under {@link MonitorLegs}' lock.
 */
interface Monitorable {

    /** Joins a supervisor's (started) stream in {@code mode}; replaces any earlier one. */
    void tap(MediaStream monitor, MonitorMode mode);

    /** Changes who hears the supervisor, from the next frame on. */
    void mode(MonitorMode mode);

    /** The supervisor leaves: the parties hear only each other again. */
    void untap();
}
