package io.tandem.callback.push;

/** What a push is about: a parked caller's room, or a call ringing a sleeping callee. */
public enum PushSubject {
    /** A caller parked in a room; the device joins with a one-time token. */
    ROOM("room-", "roomId"),
    /** A call ringing the device's user (RFC 8599): the device registers and is rung in that call. */
    CALL("call-", "callId");

    private final String collapsePrefix;
    private final String idField;

    PushSubject(String collapsePrefix, String idField) {
        this.collapsePrefix = collapsePrefix;
        this.idField = idField;
    }

    /** Before the id in the collapse id, so a room and a call never share one. */
    public String collapsePrefix() {
        return collapsePrefix;
    }

    /** The payload field naming the subject's id. */
    public String idField() {
        return idField;
    }
}
