package io.tandem.callback.room;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tandem.protocol.callback.PushBinding;

/**
 * A device woken for a room: whose it is and its push binding at the time (so the cancel goes where the ring went).
 *
 * @param user    the agent (extension)
 * @param binding the RFC 8599 push binding the ring was sent to
 */
record Woken(@JsonProperty("user") String user, @JsonProperty("binding") PushBinding binding) {
}
