package dev.cvm.cli;

import dev.cvm.ingest.DatasetOutcome;
import dev.cvm.ingest.IngestStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Check the raw input datasets against the contract (docs/data-contract.md).",
                "Valid rows go to their Delta tables, the rest to 'quarantine' with the rule they broke.",
                "Re-running a date replaces that date's output."})
final class IngestCommand extends StageCommand {
    @Option(names = "--accept-volume-change",
            description = {"This run only: a dataset far larger or smaller than on the previous run date is logged",
                    "instead of stopping the run (cvm.ingest.volume-check, docs/bad-input.md)."})
    boolean acceptVolumeChange;

    @Override
    void run(CvmContext ctx) {
        runIngest(ctx, acceptVolumeChange);
    }

    static List<DatasetOutcome> runIngest(CvmContext ctx) {
        return runIngest(ctx, false);
    }

    static List<DatasetOutcome> runIngest(CvmContext ctx, boolean acceptVolumeChange) {
        ctx.log().stage("ingest " + ctx.runDate());
        List<DatasetOutcome> outcomes = new IngestStage(ctx.config(), ctx.warehouse(), ctx.log(), acceptVolumeChange)
                .run(ctx.runDate());
        for (DatasetOutcome o : outcomes) {
            if (o.quarantined() > 0) {
                ctx.log().info("  %-20s quarantined %,d of %,d rows: %s", o.dataset(), o.quarantined(), o.input(),
                        o.quarantinedByRule());
            }
        }
        return outcomes;
    }
}
