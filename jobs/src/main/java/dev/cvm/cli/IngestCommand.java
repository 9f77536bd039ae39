package dev.cvm.cli;

import dev.cvm.ingest.DatasetOutcome;
import dev.cvm.ingest.IngestStage;
import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Check the raw input datasets against the contract (docs/data-contract.md).",
                "Valid rows go to their Delta tables, the rest to 'quarantine' with the rule they broke.",
                "Re-running a date replaces that date's output."})
final class IngestCommand extends StageCommand {
    @Override
    void run(CvmContext ctx) {
        runIngest(ctx);
    }

    static List<DatasetOutcome> runIngest(CvmContext ctx) {
        ctx.log().stage("ingest " + ctx.runDate());
        List<DatasetOutcome> outcomes = new IngestStage(ctx.config(), ctx.warehouse(), ctx.log()).run(ctx.runDate());
        for (DatasetOutcome o : outcomes) {
            if (o.quarantined() > 0) {
                ctx.log().info("  %-20s quarantined %,d of %,d rows: %s", o.dataset(), o.quarantined(), o.input(),
                        o.quarantinedByRule());
            }
        }
        return outcomes;
    }
}
