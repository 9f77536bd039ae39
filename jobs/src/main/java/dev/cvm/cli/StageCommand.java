package dev.cvm.cli;

import dev.cvm.pipeline.RunLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * A command that needs config and Spark: opens the context once, runs, and returns exit code 0. At the end, failed
 * or not, the step timings go to the run_log table (see {@link RunLog}).
 */
abstract class StageCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    RunDateOption runDate;

    @Override
    public final Integer call() {
        CvmCli.verbose = common.verbose;
        CvmContext ctx = CvmContext.open(common, runDate.orToday());
        try {
            run(ctx);
        } finally {
            recordTimings(ctx);
        }
        return 0;
    }

    /** Never throws: timings are bookkeeping and must not hide the stage's own outcome. */
    private void recordTimings(CvmContext ctx) {
        try {
            Command c = getClass().getAnnotation(Command.class);
            RunLog.record(ctx.warehouse(), ctx.runDate(), ctx.log().timings(), c == null ? "unknown" : c.name(),
                    ctx.log());
        } catch (RuntimeException e) {
            ctx.log().info("  warning: step timings not recorded: %s", e.getMessage());
        }
    }

    abstract void run(CvmContext ctx);
}
