package dev.cvm.cli;

import dev.cvm.features.FeaturesStage;
import dev.cvm.monitor.MonitorSettings;
import dev.cvm.monitor.MonitorStage;
import picocli.CommandLine.Command;

@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Drift monitoring: population stability index of every feature and score against the training",
                "baseline and the previous run (table drift), and back-tests of matured earlier predictions."})
final class MonitorCommand extends StageCommand {
    @Override
    void run(CvmContext ctx) {
        runMonitor(ctx);
    }

    static MonitorStage.Outcome runMonitor(CvmContext ctx) {
        ctx.log().stage("monitor " + ctx.runDate());
        FeaturesStage features = new FeaturesStage(ctx.warehouse(), ctx.config().features(), ctx.config().valueMap(),
                ctx.log());
        MonitorStage.Outcome o = new MonitorStage(ctx.warehouse(), ctx.config().features(), features,
                MonitorSettings.from(ctx.config().raw()), ctx.log()).run(ctx.runDate());
        ctx.log().info("  drift: %d rows, %d warnings, %d failures", o.rows(), o.warnings(), o.failures());
        return o;
    }
}
