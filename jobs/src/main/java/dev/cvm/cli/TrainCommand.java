package dev.cvm.cli;

import dev.cvm.models.ModelRegistry;
import dev.cvm.models.ModelTarget;
import dev.cvm.models.ModelVersion;
import dev.cvm.models.TrainStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the churn and upsell propensity models on the matured, labelled snapshots of the run",
                "date (time-based split, calibration, promotion gate) and register them in model_registry.",
                "Models and how to retrain: docs/models.md."})
final class TrainCommand extends StageCommand {
    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "all",
            description = "churn, upsell (every product of cvm.labels.upsell-products), all (default), "
                    + "or one model name such as upsell_tv.")
    String model;

    @Override
    void run(CvmContext ctx) {
        runTrain(ctx, model, false);
    }

    /**
     * Trains the selected models. With {@code onlyWithoutChampion}, models that already have a champion are skipped
     * (the demo uses this so a re-run does not retrain).
     */
    static List<TrainStage.Outcome> runTrain(CvmContext ctx, String which, boolean onlyWithoutChampion) {
        ctx.log().stage("train " + ctx.runDate());
        List<ModelTarget> targets = ModelTarget.select(ctx.config().features(), which);
        if (onlyWithoutChampion) {
            List<String> champions = new ModelRegistry(ctx.warehouse()).all().stream()
                    .filter(v -> v.status().equals(ModelVersion.CHAMPION)).map(ModelVersion::name).toList();
            targets = targets.stream().filter(t -> !champions.contains(t.name())).toList();
            if (targets.isEmpty()) {
                ctx.log().info("  every model has a champion: not retraining (run `cvm train` to retrain)");
                return List.of();
            }
        }
        return new TrainStage(ctx.warehouse(), ctx.config().models(), ctx.config().features(), ctx.log())
                .run(ctx.runDate(), targets);
    }
}
