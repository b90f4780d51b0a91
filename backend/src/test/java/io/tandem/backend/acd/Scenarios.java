package io.tandem.backend.acd;

import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import java.util.ArrayList;
import java.util.List;

/** Queue definitions for scripted scenarios. */
final class Scenarios {

    private Scenarios() {
    }

    /** Ring 15 s, retry 0 s, no wrap-up, 3 misses, no tier delay; members in the order given, tier 1. */
    static QueueDefinition queue(String number, Strategy strategy, String... agents) {
        List<QueueDefinition.Member> members = new ArrayList<>();
        for (String agent : agents) {
            members.add(QueueDefinition.Member.of(agent));
        }
        return queue(number, strategy, 0, members);
    }

    static QueueDefinition queue(String number, Strategy strategy, int tierDelaySeconds,
            List<QueueDefinition.Member> members) {
        return new QueueDefinition(number, "q" + number, strategy, 0, 0, true, false, 15, 0, 0, 3, 20,
                tierDelaySeconds, members, null, null, null, null, null);
    }
}
