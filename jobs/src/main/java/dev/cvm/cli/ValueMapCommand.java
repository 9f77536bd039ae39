package dev.cvm.cli;

import dev.cvm.valuemap.ValueMapSettings;
import dev.cvm.valuemap.ValueMapStage;
import picocli.CommandLine.Command;

@Command(name = "value-map", mixinStandardHelpOptions = true,
        description = {"Customer value map from the ingested surveys (docs/value-map.md): attribute importance,",
                "performance ratios against the competitor, the relative value score with a confidence interval",
                "and the value-map quadrant, overall and per segment (cvm.value-map.segments).",
                "Writes value_map_attributes and value_map_segments; re-running a date replaces it."})
final class ValueMapCommand extends StageCommand {
    @Override
    void run(CvmContext ctx) {
        runValueMap(ctx);
    }

    static ValueMapStage.Outcome runValueMap(CvmContext ctx) {
        ctx.log().stage("value-map " + ctx.runDate());
        ValueMapSettings settings = ValueMapSettings.from(ctx.config());
        return new ValueMapStage(settings, ctx.warehouse(), ctx.log()).run(ctx.runDate());
    }
}
