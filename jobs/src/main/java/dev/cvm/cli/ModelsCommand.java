package dev.cvm.cli;

import dev.cvm.models.ModelRegistry;
import dev.cvm.models.ModelVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"The model registry (model_registry): list versions, promote one by hand, roll back.",
                "See docs/models.md."},
        subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.PromoteCommand.class,
                ModelsCommand.RollbackCommand.class})
final class ModelsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    private static ModelRegistry open(CommonOptions common) {
        CvmCli.verbose = common.verbose;
        CvmContext ctx = CvmContext.open(common, LocalDate.now(ZoneOffset.UTC));
        return new ModelRegistry(ctx.warehouse());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every model version: status, validation ROC AUC and Brier score, when and on what trained.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this model (e.g. churn).")
        String name;

        @Override
        public Integer call() {
            List<ModelVersion> versions = open(common).all().stream()
                    .filter(v -> name == null || v.name().equals(name)).toList();
            print(versions, System.out);
            return 0;
        }
    }

    static void print(List<ModelVersion> versions, PrintStream out) {
        if (versions.isEmpty()) {
            out.println("no models registered: run `cvm train`");
            return;
        }
        DateTimeFormatter ts = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
        out.printf(Locale.ROOT, "%-20s %4s  %-10s  %-8s  %7s  %7s  %-16s  %-10s  %-10s  %s%n", "name", "ver", "status",
                "family", "roc_auc", "brier", "trained_at (UTC)", "run_date", "validation", "reason");
        for (ModelVersion v : versions) {
            out.printf(Locale.ROOT, "%-20s %4d  %-10s  %-8s  %7.4f  %7.4f  %-16s  %-10s  %-10s  %s%n", v.name(),
                    v.version(), v.status(), v.family(), v.metric("roc_auc"), v.metric("brier"),
                    ts.format(v.trainedAt()), v.runDate(), v.validationAsOfDate(),
                    v.promotionReason() == null ? "" : v.promotionReason());
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Make VERSION the champion of NAME by hand (no promotion gate); the current champion is",
                    "retired. `cvm models rollback NAME` undoes it."})
    static final class PromoteCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "NAME", description = "Model name, e.g. churn or upsell_tv.")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION", description = "Version number (see `cvm models list`).")
        int version;

        @Override
        public Integer call() {
            ModelVersion v = open(common).promote(name, version, "manual promotion");
            System.out.printf(Locale.ROOT, "%s v%d is now the champion (validation roc_auc %.4f)%n", v.name(),
                    v.version(), v.metric("roc_auc"));
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Restore the champion that the current champion of NAME replaced; the current one is retired.")
    static final class RollbackCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "NAME", description = "Model name, e.g. churn or upsell_tv.")
        String name;

        @Override
        public Integer call() {
            ModelVersion v = open(common).rollback(name);
            System.out.printf(Locale.ROOT, "%s v%d is the champion again (%s)%n", v.name(), v.version(),
                    v.promotionReason());
            return 0;
        }
    }
}
