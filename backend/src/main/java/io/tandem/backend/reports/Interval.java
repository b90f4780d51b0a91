package io.tandem.backend.reports;

import java.time.Instant;

/**
 * Fifteen minutes of a queue's day (or of all the tenant's queues).
 *
 * @param start               the interval's start (UTC)
 * @param offered             callers who entered the queue
 * @param answered            callers connected to an agent
 * @param abandoned           callers who hung up while waiting
 * @param serviceLevelPercent service level of the day so far, through the end of this interval: callers answered
 *                            within their queue's target ÷ (answered + abandoned), as on the wallboard; null while
 *                            no caller has been answered or abandoned
 */
public record Interval(Instant start, int offered, int answered, int abandoned, Double serviceLevelPercent) {
}
