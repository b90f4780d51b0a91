package io.tandem.backend.queuecall;

import io.tandem.backend.conference.Room;
import io.tandem.telephony.mixer.Party;
import io.tandem.telephony.rtp.MediaStream;

/**
 * A supervisor joined to a connected callback room: one more party of the room's mixer (telephony's
 * {@code ConferenceMixer}), which hears the caller and the agent. Listen is a listen-only party, whisper a party heard
 * only by the one that joined the caller (the agent), barge a full speaker. Guarded by {@link MonitorLegs}' lock.
 */
final class RoomTap implements Monitorable {

    private final Room room;
    private Party supervisor;

    RoomTap(Room room) {
        this.room = room;
    }

    @Override
    public void tap(MediaStream monitor, MonitorMode mode) {
        untap();
        supervisor = room.listenIn(monitor);
        mode(mode);
    }

    @Override
    public void mode(MonitorMode mode) {
        Party party = supervisor;
        if (party == null) {
            return;
        }
        switch (mode) {
            case LISTEN -> party.listenOnly();
            // the agent is the room's joined party; the caller, the parked one, does not hear a whisper
            case WHISPER -> room.joinedParty().ifPresentOrElse(party::whisperTo, party::listenOnly);
            case BARGE -> party.speak();
        }
    }

    @Override
    public void untap() {
        if (supervisor != null) {
            supervisor.leave();
            supervisor = null;
        }
    }
}
