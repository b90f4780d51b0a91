package io.tandem.telephony.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short run of {@code ./tandem bench fuzz}: a few thousand mutations per parser with a fixed seed, so a parser
 * change that lets an exception escape or loops forever on a mutated torture message fails here, reproducibly.
 */
class ParserFuzzTest {
    private static final long SEED = 20261207L;
    private static final long MUTATIONS = 5_000;
    /** Only a parser stuck in a loop gets near this; it keeps surefire from waiting forever. */
    private static final Duration HANG_LIMIT = Duration.ofSeconds(30);

    static Stream<String> parsers() {
        return Seeds.targets().stream().map(FuzzTarget::name);
    }

    private static Supplier<FuzzTarget> target(String name) {
        return () -> Seeds.targets().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsers")
    void everyMutationIsAcceptedRejectedOrDropped(String parser) throws InterruptedException {
        FuzzCampaign.Result result = new FuzzCampaign(SEED, HANG_LIMIT).run(target(parser), MUTATIONS);

        assertThat(result.findings()).as("findings of " + parser).isEmpty();
        assertThat(result.accepted() + result.rejected() + result.dropped()).isEqualTo(MUTATIONS);
        assertThat(result.rejected() + result.dropped()).as("mutations the parser refused").isPositive();
    }

    @Test
    void theSeedsParseAsTheyWereCaptured() throws Exception {
        for (FuzzTarget target : Seeds.targets()) {
            for (byte[] seed : target.seeds().subList(target.seeds().size() - 2, target.seeds().size())) {
                assertThat(target.parse(seed)).as(target.name() + " captured traffic").isEqualTo(ParseOutcome.ACCEPTED);
            }
        }
    }

    @Test
    void aSeedAndAnIndexReplayTheSameInput() {
        List<byte[]> corpus = Seeds.sip();
        Mutator.Mutation once = new Mutator(SEED, corpus, false).mutate(1234);
        Mutator.Mutation again = new Mutator(SEED, corpus, false).mutate(1234);
        assertThat(again.bytes()).isEqualTo(once.bytes());
        assertThat(again.shape()).isEqualTo(once.shape());
        assertThat(new Mutator(SEED + 1, corpus, false).mutate(1234).bytes()).isNotEqualTo(once.bytes());
    }

    @Test
    void anEscapingExceptionIsAFindingWithItsInput() throws InterruptedException {
        FuzzTarget throwsOnShortInput = new StubTarget(input -> {
            if (input.length < 8) {
                throw new ArrayIndexOutOfBoundsException("index 8 out of bounds");
            }
            return ParseOutcome.ACCEPTED;
        });
        FuzzCampaign.Result result = new FuzzCampaign(SEED, HANG_LIMIT).run(() -> throwsOnShortInput, 2_000);

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.problem()).startsWith("java.lang.ArrayIndexOutOfBoundsException: index N out of bounds");
            assertThat(f.input()).hasSizeLessThan(8);
        });
        assertThat(result.findingCount() + result.accepted()).isEqualTo(2_000);
    }

    @Test
    void aParseThatNeverReturnsIsAHangAndTheCampaignCarriesOn() throws InterruptedException {
        CountDownLatch released = new CountDownLatch(1);
        AtomicLong calls = new AtomicLong();
        FuzzTarget stuckOnce = new StubTarget(input -> {
            if (calls.getAndIncrement() == 10) {
                released.await(); // a parse that never returns, without burning a shared core meanwhile
            }
            return ParseOutcome.DROPPED;
        });
        // generous enough that a trivial parse descheduled on a loaded machine is not taken for a hang
        FuzzCampaign.Result result = new FuzzCampaign(SEED, Duration.ofSeconds(1)).run(() -> stuckOnce, 100);
        released.countDown();

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.problem()).startsWith("hang");
            assertThat(f.index()).isEqualTo(10);
        });
        assertThat(result.dropped()).isEqualTo(99);
    }

    private interface Parse {
        ParseOutcome apply(byte[] input) throws Exception;
    }

    private record StubTarget(Parse parse) implements FuzzTarget {
        @Override
        public String name() {
            return "stub";
        }

        @Override
        public List<byte[]> seeds() {
            return Seeds.rtp();
        }

        @Override
        public boolean binary() {
            return true;
        }

        @Override
        public ParseOutcome parse(byte[] input) throws Exception {
            return parse.apply(input);
        }
    }
}
