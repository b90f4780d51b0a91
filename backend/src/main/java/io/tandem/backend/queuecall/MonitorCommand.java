package io.tandem.backend.queuecall;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the node that took a monitor request asks the node holding the call's media to do, over that node's monitor
 * channel: {@code start} (call the supervisor's extension and join it), {@code mode} (change who hears the
 * supervisor), {@code stop} (hang the supervisor up).
 */
record MonitorCommand(
        @JsonProperty("op") String op,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("callId") String callId,
        @JsonProperty("monitorId") String monitorId,
        @JsonProperty("mode") String mode,
        @JsonProperty("extension") String extension) {

    static final String START = "start";
    static final String MODE = "mode";
    static final String STOP = "stop";
}
