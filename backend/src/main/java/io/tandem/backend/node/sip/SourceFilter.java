package io.tandem.backend.node.sip;

/**
 * Decides whether requests from a source address are refused before any feature sees them (the registrar's flood
 * protection implements it). Must be fast: it is asked for every request.
 */
public interface SourceFilter {

    /** True while requests from {@code address} (an IP literal) must be refused. */
    boolean isBlocked(String address);
}
