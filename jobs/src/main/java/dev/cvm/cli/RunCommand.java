package dev.cvm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The nightly chain in one Spark application: every stage of the run date in order.",
                "Models must have been trained (cvm train). Each stage is also a command of its own."})
final class RunCommand extends StageCommand {
    @Option(names = "--from", paramLabel = "STAGE",
            description = "Start at this stage (to resume a failed run): one of ${COMPLETION-CANDIDATES}.",
            completionCandidates = StageNames.class)
    String from;

    /** The nightly stages in dependency order. */
    static Map<String, Consumer<CvmContext>> stages() {
        Map<String, Consumer<CvmContext>> s = new LinkedHashMap<>();
        s.put("ingest", IngestCommand::runIngest);
        s.put("value-map", ValueMapCommand::runValueMap);
        s.put("features", ctx -> FeaturesCommand.runFeatures(ctx, List.of(ctx.runDate()), false));
        s.put("clv", ClvCommand::runClv);
        s.put("score", ScoreCommand::runScore);
        s.put("segment", SegmentCommand::runSegment);
        s.put("publish", PublishCommand::runPublish);
        s.put("monitor", MonitorCommand::runMonitor);
        s.put("report", ReportCommand::runReport);
        return s;
    }

    static final class StageNames extends ArrayList<String> {
        StageNames() {
            super(stages().keySet());
        }
    }

    @Override
    void run(CvmContext ctx) {
        Map<String, Consumer<CvmContext>> all = stages();
        if (from != null && !all.containsKey(from)) {
            throw dev.cvm.CvmException.usage("--from must be one of " + all.keySet() + ", got " + from);
        }
        boolean started = from == null;
        long t0 = System.nanoTime();
        for (Map.Entry<String, Consumer<CvmContext>> e : all.entrySet()) {
            started |= e.getKey().equals(from);
            if (started) {
                long s0 = System.nanoTime();
                e.getValue().accept(ctx);
                // One line per stage: what bench/run.sh reads the chain's stage timings from.
                ctx.log().info("  stage %s: %.1f s", e.getKey(), (System.nanoTime() - s0) / 1e9);
            }
        }
        ctx.log().info("cvm run %s finished in %.1f s", ctx.runDate(), (System.nanoTime() - t0) / 1e9);
    }
}
