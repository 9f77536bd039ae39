package dev.cvm.cli;

import dev.cvm.bench.ScanFloor;
import dev.cvm.ingest.IngestStage;
import picocli.CommandLine.Command;

@Command(name = "scan-floor", mixinStandardHelpOptions = true, hidden = true,
        description = {"Benchmark baseline (bench/run.sh): read every input column of the run date once and reduce it",
                "per account. Writes nothing."})
final class ScanFloorCommand extends StageCommand {
    @Override
    void run(CvmContext ctx) {
        ctx.log().stage("scan floor " + ctx.runDate());
        IngestStage ingest = new IngestStage(ctx.config(), ctx.warehouse(), ctx.log());
        long t0 = System.nanoTime();
        new ScanFloor(ctx.warehouse().spark(), ctx.log()).run(spec -> ingest.inputDir(ctx.runDate(), spec));
        ctx.log().info("scan floor %s finished in %.1f s", ctx.runDate(), (System.nanoTime() - t0) / 1e9);
    }
}
