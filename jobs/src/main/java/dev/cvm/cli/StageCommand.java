package dev.cvm.cli;

import dev.cvm.pipeline.RunLog;
import dev.cvm.warehouse.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * A command that needs config and Spark: opens the context once, runs, and returns exit code 0. It holds the run
 * date's {@link RunLock} while it runs, so a second process for the same date fails at once instead of racing it.
 * At the end, failed or not, the step timings go to the run_log table (see {@link RunLog}).
 */
abstract class StageCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    RunDateOption runDate;

    @Override
    public final Integer call() {
        CvmCli.verbose = common.verbose;
        checkOptions();
        CvmContext ctx = CvmContext.open(common, runDate.orToday());
        try (RunLock lock = RunLock.acquire(ctx.warehouse(), ctx.runDate(), commandName())) {
            try {
                run(ctx);
            } finally {
                recordTimings(ctx);
            }
        }
        return 0;
    }

    /** Never throws: timings are bookkeeping and must not hide the stage's own outcome. */
    private void recordTimings(CvmContext ctx) {
        try {
            RunLog.record(ctx.warehouse(), ctx.runDate(), ctx.log().timings(), commandName(), ctx.log());
        } catch (RuntimeException e) {
            ctx.log().info("  warning: step timings not recorded: %s", e.getMessage());
        }
    }

    private String commandName() {
        Command c = getClass().getAnnotation(Command.class);
        return c == null ? "unknown" : c.name();
    }

    /** Rejects option combinations before any Spark start-up, with {@link dev.cvm.CvmException#usage}. */
    void checkOptions() {
    }

    abstract void run(CvmContext ctx);
}
