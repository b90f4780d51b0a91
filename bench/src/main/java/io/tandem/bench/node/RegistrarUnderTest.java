package io.tandem.bench.node;

/** One registrar the bench loads: started with the bench users provisioned, listening on a loopback SIP port. */
public interface RegistrarUnderTest extends AutoCloseable {

    /** For the report, e.g. "Kamailio 5.6.3". */
    String name();

    /** UDP port SIPp sends to on 127.0.0.1. */
    int sipPort();

    /** CPU clock ticks (1/100 s) used so far by every process of this registrar (Tandem: the JVM and Redis). */
    long cpuTicks();

    /** How it was set up, one Markdown line. */
    String setup();

    @Override
    void close();
}
