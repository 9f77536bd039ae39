package dev.cvm.pipeline;

import java.io.PrintStream;
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
    public record Timing(String step, double seconds, long rows) {}

    private final PrintStream out;
    private final List<Timing> timings = Collections.synchronizedList(new ArrayList<>());

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
        timings.add(new Timing(name, secs, rows));
        out.printf(Locale.ROOT, "  %-42s %,14d rows  %7.1f s%n", name, rows, secs);
        out.flush();
        return rows;
    }

    /** Runs a step whose outcome is a message rather than a row count. */
    public <T> T run(String name, Supplier<T> body) {
        long t0 = System.nanoTime();
        T result = body.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        timings.add(new Timing(name, secs, -1));
        out.printf(Locale.ROOT, "  %-42s %20s  %7.1f s%n", name, "", secs);
        out.flush();
        return result;
    }

    public void info(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }

    public void stage(String name) {
        out.println("[" + name + "]");
        out.flush();
    }

    public List<Timing> timings() {
        return List.copyOf(timings);
    }
}
