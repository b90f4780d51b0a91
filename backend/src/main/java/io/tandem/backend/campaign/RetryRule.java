package io.tandem.backend.campaign;

import java.util.OptionalLong;

/**
 * Whether and when a contact is called again after an attempt: busy, no answer and network failures are retried
 * after the campaign's delay for that outcome, up to its maximum of attempts. Never retried: an answered or abandoned
 * call (the customer was reached), an invalid number, a do-not-call number, and a failure after the call may have
 * reached the customer (it rang, a 18x came): calling again could ring a customer who just declined.
 */
final class RetryRule {

    private RetryRule() {
    }

    /** When the contact is due again (epoch ms), or empty when it is done. {@code attempts} counts this one. */
    static OptionalLong retryAt(Campaign campaign, int attempts, AttemptResult result, long nowMillis) {
        if (attempts >= campaign.maxAttempts()) {
            return OptionalLong.empty();
        }
        Campaign.Retry retry = campaign.retry();
        return switch (result.outcome()) {
            case BUSY -> OptionalLong.of(nowMillis + retry.busySeconds() * 1000L);
            case NO_ANSWER -> OptionalLong.of(nowMillis + retry.noAnswerSeconds() * 1000L);
            case FAILED -> result.mayHaveReached() ? OptionalLong.empty()
                    : OptionalLong.of(nowMillis + retry.failedSeconds() * 1000L);
            case ANSWERED, ABANDONED, DO_NOT_CALL, INVALID -> OptionalLong.empty();
        };
    }
}
