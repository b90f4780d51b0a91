package io.tandem.backend.campaign;

/**
 * How the call of one attempt ended, as the node that placed it saw it.
 *
 * @param outcome         the outcome
 * @param cause           the SIP status that ended it (0 when none came: no trunk, a timeout of ours)
 * @param mayHaveReached  the customer may have heard it ring or answered (a 18x, a 2xx): never retried as a failure
 * @param trunk           the trunk it went out on last, empty when none
 * @param seizedAt        when that trunk was seized for it (Redis time, epoch ms; 0 when none was)
 */
public record AttemptResult(Outcome outcome, int cause, boolean mayHaveReached, String trunk, long seizedAt) {
}
