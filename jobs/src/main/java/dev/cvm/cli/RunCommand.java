package dev.cvm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The nightly chain in one Spark application: every stage of the run date in order.",
                "Models must have been trained (cvm train), or add --train. Each stage is also a command of its own."})
final class RunCommand extends StageCommand {
    @Option(names = "--from", paramLabel = "STAGE",
            description = "Start at this stage (to resume a failed run): one of ${COMPLETION-CANDIDATES}.",
            completionCandidates = StageNames.class)
    String from;

    @Option(names = "--train", description = {"Retrain too, in the same application: features adds the training "
            + "snapshots and a train stage (as `cvm train`) runs before score.",
            "For a first run on an empty warehouse, or a scheduled retraining night."})
    boolean train;

    /** The nightly stages in dependency order; with {@code train}, the training snapshots and a train stage too. */
    static Map<String, Consumer<CvmContext>> stages(boolean train) {
        Map<String, Consumer<CvmContext>> s = new LinkedHashMap<>();
        s.put("ingest", IngestCommand::runIngest);
        s.put("value-map", ValueMapCommand::runValueMap);
        s.put("features", ctx -> FeaturesCommand.runFeatures(ctx, List.of(ctx.runDate()), train));
        s.put("clv", ClvCommand::runClv);
        if (train) {
            s.put("train", ctx -> TrainCommand.runTrain(ctx, "all", false));
        }
        s.put("score", ScoreCommand::runScore);
        s.put("segment", SegmentCommand::runSegment);
        s.put("publish", PublishCommand::runPublish);
        s.put("monitor", MonitorCommand::runMonitor);
        s.put("report", ReportCommand::runReport);
        return s;
    }

    static final class StageNames extends ArrayList<String> {
        StageNames() {
            super(stages(true).keySet());
        }
    }

    @Override
    void checkOptions() {
        Set<String> names = stages(train).keySet();
        if (from != null && !names.contains(from)) {
            throw dev.cvm.CvmException.usage("--from must be one of " + names + ", got " + from
                    + (from.equals("train") ? " (the train stage runs only with --train)" : ""));
        }
    }

    @Override
    void run(CvmContext ctx) {
        Map<String, Consumer<CvmContext>> all = stages(train);
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
