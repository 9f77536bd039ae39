package dev.cvm.cli;

import dev.cvm.models.ScoreStage;
import picocli.CommandLine.Command;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score every active account's record of the run date (as_of_date = run date) with the",
                "champion models and write account_propensity: churn_probability, upsell_<product> (null when the",
                "account already holds the product), best_upsell_product, the model versions used."})
final class ScoreCommand extends StageCommand {
    @Override
    void run(CvmContext ctx) {
        runScore(ctx);
    }

    static ScoreStage.Result runScore(CvmContext ctx) {
        ctx.log().stage("score " + ctx.runDate());
        return new ScoreStage(ctx.warehouse(), ctx.config().features(), ctx.log()).run(ctx.runDate());
    }
}
