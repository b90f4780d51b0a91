package io.tandem.telephony.peers;

import java.util.Map;

/**
 * One event baresip reported on its ctrl_tcp socket, e.g.
 * {@code {"event":true,"type":"CALL_ESTABLISHED","class":"call","peeruri":"sip:a@127.0.0.1:5060","id":"7cc6..."}}.
 *
 * @param type      the event name (see the constants below)
 * @param callId    baresip's call id ({@code id}), null for non-call events
 * @param peerUri   the remote party's URI, null when none
 * @param direction "incoming" or "outgoing" for call events
 * @param param     free text: the status line for REGISTER_OK/FAIL, the reason for CALL_CLOSED
 *                  (e.g. "486 Busy Here"), the digit for CALL_DTMF_START
 * @param fields    every field of the JSON object as received
 */
public record BaresipEvent(String type, String callId, String peerUri, String direction, String param,
                           Map<String, Object> fields) {
    public static final String REGISTERING = "REGISTERING";
    public static final String REGISTER_OK = "REGISTER_OK";
    public static final String REGISTER_FAIL = "REGISTER_FAIL";
    public static final String UNREGISTERING = "UNREGISTERING";
    /** An incoming call waits for {@code accept} (answer mode manual). */
    public static final String CALL_INCOMING = "CALL_INCOMING";
    /** Our outgoing call got 180 Ringing. */
    public static final String CALL_RINGING = "CALL_RINGING";
    /** Our outgoing call got 183 Session Progress (early media). */
    public static final String CALL_PROGRESS = "CALL_PROGRESS";
    public static final String CALL_ESTABLISHED = "CALL_ESTABLISHED";
    public static final String CALL_CLOSED = "CALL_CLOSED";
    /** The first RTP packet arrived. */
    public static final String CALL_RTPESTAB = "CALL_RTPESTAB";
    public static final String CALL_DTMF_START = "CALL_DTMF_START";
    public static final String CALL_DTMF_END = "CALL_DTMF_END";

    static BaresipEvent from(Map<String, Object> json) {
        return new BaresipEvent(str(json, "type"), str(json, "id"), str(json, "peeruri"), str(json, "direction"),
                str(json, "param"), Map.copyOf(json.entrySet().stream().filter(e -> e.getValue() != null)
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }

    private static String str(Map<String, Object> json, String key) {
        Object v = json.get(key);
        return v == null ? null : v.toString();
    }

    @Override
    public String toString() {
        return type + (callId != null ? " id=" + callId : "") + (peerUri != null ? " peer=" + peerUri : "")
                + (param != null ? " param=" + param : "");
    }
}
