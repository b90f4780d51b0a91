package io.tandem.bench;

/** One part of a benchmark report: runs its measurement and renders it as Markdown. */
public interface BenchSection {

    /** The section heading. */
    String title();

    /**
     * Runs the measurement and returns the section body in Markdown (tables and a line
     * saying how the figure compares with the goal).
     *
     * @param quick shorter runs, for smoke checks
     */
    String run(boolean quick) throws Exception;
}
