package io.tandem.bench.outbound;

import io.tandem.bench.BenchSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outbound bench's sections, all on one node started for them and stopped on close. */
public final class OutboundSections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboundSections.class);

    private final OutboundNode node;
    private final Path work;

    private OutboundSections(OutboundNode node, Path work) {
        this.node = node;
        this.work = work;
    }

    public static OutboundSections start(Path jar) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("tandem-bench-outbound-");
        log.info("outbound bench: work files in {}", work);
        return new OutboundSections(OutboundNode.start(work.resolve("node"), jar), work);
    }

    public List<BenchSection> list() {
        return List.of(new CapsSection(node, work), new TickSection(node, work), new MediaSection(node, work));
    }

    @Override
    public void close() {
        node.close();
        log.info("outbound bench: work files left in {}", work);
    }
}
