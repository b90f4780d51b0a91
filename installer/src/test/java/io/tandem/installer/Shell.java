package io.tandem.installer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end and keeps what it printed (stdout and stderr together). */
final class Shell {

    /** What a finished command left: its exit status and its output. */
    record Result(int exit, String output) {

        Result requireSuccess() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ":\n" + output);
            }
            return this;
        }
    }

    private Shell() {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of(), null);
    }

    /** Runs {@code command} with {@code env} added to this JVM's environment, in {@code dir} (null = here). */
    static Result run(List<String> command, Map<String, String> env, Path dir)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // The output is at its end, so the process is ending; the bound only guards against a hung child.
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("still running after its output closed: " + command);
        }
        return new Result(process.exitValue(), output);
    }
}
