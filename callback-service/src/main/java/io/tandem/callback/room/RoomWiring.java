package io.tandem.callback.room;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.callback.cluster.CallbackProperties;
import io.tandem.callback.push.PushSender;
import io.tandem.callback.ticket.TicketProperties;
import io.tandem.callback.ticket.TicketWork;
import io.tandem.callback.ticket.Tickets;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The room orchestration's parts, package-private but for the orchestrator. */
@Configuration(proxyBeanMethods = false)
class RoomWiring {

    /** The wake tiers' schedule in Redis: the orchestrator writes it, the room service's timer reads it. */
    @Bean
    WakeSchedule wakeSchedule(RedisCommands<String, String> redis) {
        return new WakeSchedule(redis);
    }

    @Bean
    RoomOrchestrator roomOrchestrator(RedisCommands<String, String> redis, CallbackProperties properties,
            PushSender sender, Tickets tickets, TicketWork work, Clock clock, MeterRegistry meters,
            WakeSchedule schedule) {
        WakeList wakeList = new WakeList(redis);
        RoomPushes pushes = new RoomPushes(sender, redis, properties, clock, meters);
        return new RoomOrchestrator(redis, properties, wakeList, pushes, tickets, work, clock,
                new CallRinger(redis, wakeList, pushes, clock), schedule);
    }

    @Bean
    RoomService roomService(RedisClient client, RedisCommands<String, String> redis, CallbackProperties properties,
            RoomOrchestrator orchestrator, MeterRegistry meters, TicketWork work, TicketProperties tickets,
            Clock clock, WakeSchedule schedule) {
        return new RoomService(client, redis, properties, orchestrator, meters, work, tickets.checkInterval(),
                schedule, clock);
    }
}
