package io.tandem.backend.campaign;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A contact as its campaign keeps it: the contact, where it is, how many calls it had, the last outcome.
 *
 * @param contact     as uploaded
 * @param state       pending (to be called), done (an outcome that ends it) or dialling
 * @param attempts    calls placed so far
 * @param lastOutcome the outcome of the last call, empty before the first
 */
record ContactRecord(Contact contact, State state, int attempts, String lastOutcome) {

    enum State {
        @JsonProperty("pending") PENDING,
        @JsonProperty("dialling") DIALLING,
        @JsonProperty("done") DONE
    }
}
