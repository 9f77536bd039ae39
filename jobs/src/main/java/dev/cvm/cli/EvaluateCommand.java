package dev.cvm.cli;

import dev.cvm.models.RecordEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Run the cvm model training (logistic regression vs gradient-boosted trees, class weights,",
                "calibration) on your own account-level table and report how good the model is on a stratified",
                "held-out test set. Parquet, or CSV with a header; column types are inferred (docs/models.md)."})
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--record", required = true, paramLabel = "FILE",
            description = "The table: a Parquet file or directory, or a CSV file (header row; , ; tab or | separated).")
    String record;

    @Option(names = "--id", paramLabel = "COL",
            description = "The account (row) identifier column. Default: the row number (for tables without one).")
    String id;

    @Option(names = "--label", required = true, paramLabel = "COL", description = "The binary outcome column.")
    String label;

    @Option(names = "--positive", paramLabel = "VALUE",
            description = "The label value of the positive class. Default: 1 of 0/1, or yes/true/churned/attrited/"
                    + "exited-style values; required otherwise.")
    String positive;

    @Option(names = "--exclude", split = ",", paramLabel = "COL",
            description = "Columns not to use (e.g. ones known only after the outcome).")
    List<String> exclude;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write metrics.json and predictions/. Default: evaluate-<file name> in the "
                    + "current directory.")
    String out;

    @Override
    public Integer call() {
        CvmCli.verbose = common.verbose;
        CvmContext ctx = CvmContext.open(common, LocalDate.now(ZoneOffset.UTC));
        ctx.log().stage("evaluate " + record);
        String outDir = out != null ? out : defaultOut(record);
        new RecordEvaluation(ctx.spark(), ctx.config().models(), ctx.log()).run(new RecordEvaluation.Request(record,
                id, label, positive, exclude == null ? List.of() : exclude, outDir));
        return 0;
    }

    static String defaultOut(String record) {
        String name = new File(record.replaceAll("/+$", "")).getName();
        int dot = name.indexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return new File("evaluate-" + stem.toLowerCase(Locale.ROOT)).getAbsolutePath();
    }
}
