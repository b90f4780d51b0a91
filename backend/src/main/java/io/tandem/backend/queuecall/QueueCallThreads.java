package io.tandem.backend.queuecall;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * When and where queue-call work runs: the clock records and waits are read from, the timer thread (maximum wait,
 * announcements, ring timeouts, goodbyes; the ACD's offer endings), and the placer threads that ring offers off the
 * dispatcher's thread.
 */
record QueueCallThreads(Clock clock, ScheduledExecutorService timers, ExecutorService placer) {
}
