package dev.cvm.cli;

import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** A command that needs config and Spark: opens the context once, runs, and returns exit code 0. */
abstract class StageCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    RunDateOption runDate;

    @Override
    public final Integer call() {
        CvmCli.verbose = common.verbose;
        CvmContext ctx = CvmContext.open(common, runDate.orToday());
        run(ctx);
        return 0;
    }

    abstract void run(CvmContext ctx);
}
