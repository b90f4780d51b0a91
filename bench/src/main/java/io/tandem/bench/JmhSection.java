package io.tandem.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Runs the JMH benchmarks of one class and renders each result as a table row. */
public final class JmhSection implements BenchSection {
    private final String title;
    private final Class<?> benchmarkClass;
    private final Function<Collection<RunResult>, String> verdict;

    public JmhSection(String title, Class<?> benchmarkClass, Function<Collection<RunResult>, String> verdict) {
        this.title = title;
        this.benchmarkClass = benchmarkClass;
        this.verdict = verdict;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String run(boolean quick) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(benchmarkClass.getName() + "\\.")
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(options.build()).run();
        StringBuilder md = new StringBuilder();
        md.append("| benchmark | params | score | error (99.9%) | unit |\n");
        md.append("|---|---|---:|---:|---|\n");
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark()));
        for (RunResult r : sorted) {
            var p = r.getParams();
            var s = r.getPrimaryResult();
            StringBuilder params = new StringBuilder();
            for (String key : p.getParamsKeys()) {
                params.append(key).append('=').append(p.getParam(key)).append(' ');
            }
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %s |%n",
                    name, params.toString().trim(), s.getScore(), s.getScoreError(), s.getScoreUnit()));
        }
        md.append('\n').append(verdict.apply(results)).append('\n');
        return md.toString();
    }
}
