package dev.cvm.cli;

import dev.cvm.features.FeaturesStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Build the account analytic record (account_features) and, for as-of dates whose outcome",
                "window has matured, the training labels (account_labels). Feature catalog: docs/features.md."})
final class FeaturesCommand extends StageCommand {
    @Option(names = "--as-of", split = ",", paramLabel = "DATE", converter = RunDateConverter.class,
            description = "As-of dates (comma separated). Default: the run date.")
    List<LocalDate> asOf;

    @Option(names = "--as-of-range", paramLabel = "FROM:TO:STEP_DAYS",
            description = "A range of as-of dates, e.g. 2026-01-01:2026-06-30:30.")
    String range;

    @Option(names = "--training", description = "Add the training snapshots of cvm.features.training-snapshots "
            + "(run date - horizon - k * step).")
    boolean training;

    @Override
    void run(CvmContext ctx) {
        runFeatures(ctx, asOfDates(ctx), training);
    }

    static FeaturesStage.Result runFeatures(CvmContext ctx, List<LocalDate> dates, boolean training) {
        ctx.log().stage("features " + ctx.runDate());
        FeaturesStage stage = new FeaturesStage(ctx.warehouse(), ctx.config().features(), ctx.config().valueMap(), ctx.log());
        List<LocalDate> all = new ArrayList<>(dates);
        if (training) {
            all.addAll(stage.trainingAsOfDates(ctx.runDate()));
        }
        FeaturesStage.Result r = stage.run(ctx.runDate(), all);
        ctx.log().info("  as-of dates %s; labelled (matured) %s", r.asOfDates(), r.labelledDates());
        return r;
    }

    private List<LocalDate> asOfDates(CvmContext ctx) {
        List<LocalDate> dates = new ArrayList<>();
        if (asOf != null) {
            dates.addAll(asOf);
        }
        if (range != null) {
            String[] p = range.split(":");
            if (p.length != 3) {
                throw dev.cvm.CvmException.usage("--as-of-range must be FROM:TO:STEP_DAYS, got " + range);
            }
            RunDateConverter conv = new RunDateConverter();
            LocalDate from = conv.convert(p[0]);
            LocalDate to = conv.convert(p[1]);
            int step;
            try {
                step = Integer.parseInt(p[2]);
            } catch (NumberFormatException e) {
                throw dev.cvm.CvmException.usage("--as-of-range step must be a number of days, got " + p[2]);
            }
            if (step <= 0 || to.isBefore(from)) {
                throw dev.cvm.CvmException.usage("--as-of-range needs FROM <= TO and a positive step, got " + range);
            }
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(step)) {
                dates.add(d);
            }
        }
        if (dates.isEmpty() && !training) {
            dates.add(ctx.runDate());
        }
        if (dates.isEmpty()) {
            dates.add(ctx.runDate());
        }
        return dates;
    }
}
