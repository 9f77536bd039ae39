package dev.cvm.cli;

import dev.cvm.clv.ClvStage;
import picocli.CommandLine.Command;

@Command(name = "clv", mixinStandardHelpOptions = true,
        description = {"Fit BG/NBD (Pareto/NBD for comparison), Gamma-Gamma and a cohort sBG on the run date's",
                "account_features and accounts, and value every account: writes customer_clv and clv_params.",
                "A fit that does not converge stops the stage before anything is written (docs/clv.md)."})
final class ClvCommand extends StageCommand {
    @Override
    void run(CvmContext ctx) {
        runClv(ctx);
    }

    static ClvStage.Outcome runClv(CvmContext ctx) {
        ctx.log().stage("clv " + ctx.runDate());
        return new ClvStage(ctx.config(), ctx.warehouse(), ctx.log()).run(ctx.runDate());
    }
}
