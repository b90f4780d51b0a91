package io.tandem.backend.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.cdr.CdrProperties;
import io.tandem.backend.directory.DirectoryProperties;
import io.tandem.backend.redis.RedisProperties;
import io.tandem.backend.registrar.RegistrarProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Binds the real property records as the node does, and checks what a bad value does to startup. */
class ConfigurationValidationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({NodeProperties.class, SipProperties.class, RedisProperties.class,
            DemoProperties.class, DirectoryProperties.class, CdrProperties.class, RegistrarProperties.class})
    static class Properties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class);

    @Test
    void everyFieldHasADefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SipProperties sip = context.getBean(SipProperties.class);
            assertThat(sip.udpPort()).isEqualTo(5060);
            assertThat(sip.tcpPort()).isEqualTo(5060);
            assertThat(sip.bindAddress()).isEqualTo("0.0.0.0");
            assertThat(sip.rtpPortMin()).isEqualTo(20000);
            NodeProperties node = context.getBean(NodeProperties.class);
            assertThat(node.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(node.heartbeatTtl()).isEqualTo(Duration.ofSeconds(3));
            assertThat(context.getBean(RedisProperties.class).embedded()).isTrue();
            DemoProperties demo = context.getBean(DemoProperties.class);
            assertThat(demo.enabled()).isFalse();
            assertThat(demo.tenant()).isEqualTo("demo");
            assertThat(demo.firstExtension()).isEqualTo(1001);
            assertThat(demo.lastExtension()).isEqualTo(1020);
            assertThat(demo.password()).isEqualTo("tandem");
            assertThat(context.getBean(CdrProperties.class).maxLength()).isEqualTo(100_000);
            assertThat(context.getBean(DirectoryProperties.class).seedFile()).isEmpty();
            assertThat(demo.firstAppUser()).isEqualTo(2001);
            assertThat(demo.lastAppUser()).isEqualTo(2005);
            assertThat(context.getBean(RegistrarProperties.class).pushBindingLifetime()).isEqualTo(Duration.ofDays(7));
        });
    }

    @Test
    void acceptedValues() {
        runner.withPropertyValues("tandem.sip.udp-port=5062", "tandem.redis.uri=redis-sentinel://s1:26379#mymaster",
                        "tandem.node.id=n2", "tandem.demo.password=secret99")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SipProperties.class).udpPort()).isEqualTo(5062);
                    assertThat(context.getBean(RedisProperties.class).embedded()).isFalse();
                });
    }

    @Test
    void portOutOfRangeNamesTheProperty() {
        assertFailure("tandem.sip.udp-port=70000", "tandem.sip.udp-port");
    }

    @Test
    void unknownRedisSchemeNamesTheProperty() {
        assertFailure("tandem.redis.uri=http://localhost:6379", "tandem.redis.uri");
    }

    @Test
    void oddRtpRangeStartNamesTheProperty() {
        assertFailure("tandem.sip.rtp-port-min=20001", "tandem.sip.rtp-port-min");
    }

    @Test
    void invertedRtpRangeNamesTheProperty() {
        assertFailure("tandem.sip.rtp-port-max=10000", "tandem.sip.rtp-port-max");
    }

    @Test
    void heartbeatTtlMustOutliveTwoBeats() {
        assertFailure("tandem.node.heartbeat-ttl=1500ms", "tandem.node.heartbeat-ttl");
    }

    @Test
    void malformedNodeIdNamesTheProperty() {
        assertFailure("tandem.node.id=bad id!", "tandem.node.id");
    }

    @Test
    void shortClusterSecretIsRefused() {
        assertFailure("tandem.node.cluster-secret=short", "tandem.node.cluster-secret");
    }

    @Test
    void shortDemoPasswordNamesTheProperty() {
        assertFailure("tandem.demo.password=abc", "tandem.demo.password");
    }

    @Test
    void aPushBindingOutlivesTheSipBindingAndNoMoreThanAYear() {
        assertFailure("tandem.registrar.push-binding-lifetime=10m", "tandem.registrar.push-binding-lifetime");
        assertFailure("tandem.registrar.push-binding-lifetime=400d", "tandem.registrar.push-binding-lifetime");
    }

    @Test
    void demoAppUsersMustNotOverlapTheExtensions() {
        assertFailure("tandem.demo.first-app-user=1020", "overlap the extensions");
    }

    @Test
    void tenantWithBracesIsRefused() {
        assertFailure("tandem.demo.tenant={x}", "tandem.demo.tenant");
    }

    private void assertFailure(String property, String named) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(causes(context.getStartupFailure())).contains(named);
        });
    }

    /** The whole cause chain, as Boot's failure analysers print it. */
    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }
}
