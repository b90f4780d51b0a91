package io.tandem.backend.queuecall;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.lettuce.core.XAddArgs;
import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.dispatch.CallbackRequests;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.Dispatcher;
import io.tandem.backend.acd.dispatch.OfferEndings;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.call.B2bua;
import io.tandem.backend.call.CallProperties;
import io.tandem.backend.call.DialogIndex;
import io.tandem.backend.call.SrtpTermination;
import io.tandem.backend.call.TransferAdmission;
import io.tandem.backend.campaign.CampaignDialer;
import io.tandem.backend.campaign.CampaignProperties;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.backend.conference.JoinTokens;
import io.tandem.backend.conference.NodeCommands;
import io.tandem.backend.conference.Rooms;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.SipProperties;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.routing.CallRouter;
import io.tandem.backend.trunk.CarrierChannels;
import io.tandem.backend.trunk.PromptLibrary;
import io.tandem.backend.wake.CallWakes;
import io.tandem.telephony.rtp.RtpMediaStreamFactory;
import io.tandem.telephony.sip.SipEndpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * Wires queue calls: the RTP streams that answer callers and ring agents (sharing the node's RTP port range with the
 * relay; a port in use is skipped), the timers, the placer threads and the ACD's offer placer.
 */
@Configuration(proxyBeanMethods = false)
class QueueCallConfiguration {

    /** Offers waiting for a placer thread; beyond this the offer is refused and its lease frees the agents. */
    private static final int PLACER_QUEUE = 10_000;

    @Bean(destroyMethod = "close")
    RtpMediaStreamFactory queueCallStreams(SipProperties sip) {
        return new RtpMediaStreamFactory(sip.rtpPortMin(), sip.rtpPortMax());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService queueCallTimers() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon("tandem-queuecall-timers"));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService queueCallPlacer(QueueCallProperties properties) {
        return new ThreadPoolExecutor(properties.placerThreads(), properties.placerThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(PLACER_QUEUE), daemon("tandem-queuecall-placer"));
    }

    @Bean(destroyMethod = "close")
    QueueCalls queueCalls(ObjectProvider<SipEndpoint> endpoint, ObjectProvider<NodeAddresses> addresses,
            NodeMetrics metrics, TrunkSignature trunk, NodeIdentity identity, Queues queues, Callers callers,
            Claims claims, CallRouter router, Dispatcher dispatcher, CallRecords records,
            RtpMediaStreamFactory queueCallStreams, ScheduledExecutorService queueCallTimers,
            ExecutorService queueCallPlacer, Clock clock, SipProperties sip, QueueCallProperties properties,
            MeterRegistry registry, OwedWrites writes, CallbackRequests callbacks, OfferEndings offerEndings,
            Rooms rooms, JoinTokens tokens, Redis redis, NodeCommands nodeCommands, CallProperties callProperties,
            CallWakes wakes, AcdProperties acdProperties, CampaignProperties campaignProperties,
            CarrierChannels carrierChannels, TransferAdmission transfers, DialogIndex dialogs,
            ObjectProvider<B2bua> b2bua) {
        NodeSignalling signalling = new NodeSignalling(SingletonSupplier.of(endpoint::getObject),
                SingletonSupplier.of(addresses::getObject), metrics, trunk, identity.id());
        InetAddress bind;
        try {
            bind = InetAddress.getByName(sip.bindAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("tandem.sip.bind-address: unknown address " + sip.bindAddress(), e);
        }
        Announcements announcements = new Announcements(properties.promptDirectory());
        QueueMedia media = new QueueMedia(queueCallStreams, bind, signalling::host,
                new MusicOnHold(properties.musicDirectory()), announcements);
        CallerTrust trust = new CallerTrust(TrustedProxies.parse(properties.trustedProxies()),
                Counter.builder("tandem.queue.untrusted.headers")
                        .description("X-Tandem caller headers on queue calls from untrusted sources, ignored")
                        .register(registry));
        Reinvites reinvites = new Reinvites(signalling, media);
        OutgoingLegs legs = new OutgoingLegs(signalling, media, reinvites, router, new SrtpTermination(sip), dialogs,
                SingletonSupplier.of(b2bua::getObject),
                Timer.builder("tandem.queue.dispatch").description("caller enqueued to first offer INVITE sent")
                        .publishPercentiles(0.5, 0.99).register(registry));
        Acd acd = new Acd(queues, callers, claims, dispatcher);
        CallRecorder recorder = new CallRecorder(records, writes, claims::callEnded, clock, identity.id(),
                (tenant, fields) -> redis.commands().xadd(Keys.queueLog(tenant), XAddArgs.Builder.maxlen(
                        acdProperties.queueLogMaxLength()).approximateTrimming(), fields), carrierChannels);
        QueueCallThreads threads = new QueueCallThreads(clock, queueCallTimers, queueCallPlacer);
        // a customer called back rings as long as any call's callee does
        TicketCalls tickets = new TicketCalls(redis, acd, legs, recorder, threads, callProperties.ringTimeout(),
                wakes);
        CampaignCalls campaignCalls = new CampaignCalls(new CampaignCall.Services(acd, legs, media,
                Timers.on(queueCallTimers), recorder, campaignProperties.safeHarbour(),
                properties.safeHarbourPrompt()));
        QueueCalls calls = new QueueCalls(signalling, acd, legs, media,
                reinvites, new Overflow(callbacks, announcements, properties.callbackPrompt(),
                        properties.sorryPrompt(), properties.parkPrompt(), properties.joinRefusedPrompt()), rooms,
                tokens, trust, recorder, threads, properties.liveness(), tickets, campaignCalls,
                new QueueCalls.SessionIntervals(sip.sessionExpires().toSeconds(),
                        sip.minSessionExpires().toSeconds()), transfers);
        nodeCommands.serve(tickets);
        offerEndings.listen((tenant, callId, offerId, agentId, reason) -> calls.offerEnded(callId, offerId, reason));
        dispatcher.onDrained(calls::drained);
        FunctionCounter.builder("tandem.queue.announcements", calls, QueueCalls::announcementsPlayed)
                .description("position and wait announcements played to queue and parked callers of this node")
                .register(registry);
        return calls;
    }

    /** The prompts a DID may play: those of the node's prompt directory. */
    @Bean
    PromptLibrary promptLibrary(QueueCallProperties properties) {
        return new Announcements(properties.promptDirectory())::exists;
    }

    /** The campaign scheduler's dialler: this node's campaign calls. */
    @Bean
    CampaignDialer campaignDialer(QueueCalls queueCalls) {
        return queueCalls.campaignDialer();
    }

    /** Replaces the ACD's log-only placer; reaches the queue calls lazily (they need the dispatcher, which needs us). */
    @Bean
    QueueOfferPlacer queueOfferPlacer(Redis redis, NodeIdentity identity, ObjectProvider<QueueCalls> calls) {
        return new QueueOfferPlacer(redis, identity.id(), SingletonSupplier.of(calls::getObject));
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
