package dev.cvm.pipeline;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One progress line per step that a person can follow: stage, what happened, rows, seconds.
 * Also keeps the timings so the run report can show them.
 */
public final class StepLog {
    /**
     * One finished step. {@code rows} is -1 for a step without a row count; {@code stage} is the stage announced by
     * the latest {@link #stage} call (its first word, e.g. "ingest"), null before any.
     */
    public record Timing(String step, double seconds, long rows, String stage, Instant finishedAt) {}

    private final PrintStream out;
    private final List<Timing> timings = Collections.synchronizedList(new ArrayList<>());
    private volatile String currentStage;

    public StepLog(PrintStream out) {
        this.out = out;
    }

    public static StepLog silent() {
        return new StepLog(new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    /** Runs a step that produces a row count, and prints "step ... rows (seconds)". */
    public long step(String name, Supplier<Long> body) {
        long t0 = System.nanoTime();
        long rows = body.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        timings.add(new Timing(name, secs, rows, currentStage, Instant.now()));
        out.printf(Locale.ROOT, "  %-42s %,14d rows  %7.1f s%n", name, rows, secs);
        out.flush();
        return rows;
    }

    /** Runs a step whose outcome is a message rather than a row count. */
    public <T> T run(String name, Supplier<T> body) {
        long t0 = System.nanoTime();
        T result = body.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        timings.add(new Timing(name, secs, -1, currentStage, Instant.now()));
        out.printf(Locale.ROOT, "  %-42s %20s  %7.1f s%n", name, "", secs);
        out.flush();
        return result;
    }

    public void info(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }

    /** Prints the stage header; its first word names the stage of the steps that follow (run_log's stage). */
    public void stage(String name) {
        String trimmed = name.strip();
        int sp = trimmed.indexOf(' ');
        currentStage = sp < 0 ? trimmed : trimmed.substring(0, sp);
        out.println("[" + name + "]");
        out.flush();
    }

    public List<Timing> timings() {
        return List.copyOf(timings);
    }
}
