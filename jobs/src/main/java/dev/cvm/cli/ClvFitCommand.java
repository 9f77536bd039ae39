package dev.cvm.cli;

import dev.cvm.CvmException;
import dev.cvm.clv.ClvFitJob;
import dev.cvm.clv.FitInput;
import dev.cvm.clv.TimeUnit;
import dev.cvm.config.CvmConfig;
import dev.cvm.pipeline.StepLog;
import dev.cvm.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "clv-fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit BG/NBD, Pareto/NBD and Gamma-Gamma on your own transactions or RFM summary file",
                "(CSV with a header, Parquet, or whitespace-separated text) and write OUT/params.json,",
                "OUT/customers.parquet (p_alive, expected purchases over --horizon, expected spend) and, with",
                "--holdout-end, OUT/holdout.json (actual vs predicted repeat purchases). See docs/clv.md.",
                "Example (CDNOW): cvm clv-fit --transactions CDNOW_sample.txt --columns masterid,id,date,cds,amount",
                "  --id-col id --calibration-end 1997-09-30 --holdout-end 1998-06-30 --out /tmp/cdnow"})
final class ClvFitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    static final class Input {
        @Option(names = "--transactions", paramLabel = "FILE", required = true,
                description = "One row per purchase: id, date, optional amount.")
        String transactions;

        @Option(names = "--summary", paramLabel = "FILE", required = true,
                description = "One row per customer: id, x, t_x, T and optional m (mean repeat spend).")
        String summary;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--calibration-end", converter = RunDateConverter.class, paramLabel = "YYYY-MM-DD",
            description = "Last day of the calibration period (inclusive); required with --transactions.")
    LocalDate calibrationEnd;

    @Option(names = "--holdout-end", converter = RunDateConverter.class, paramLabel = "YYYY-MM-DD",
            description = "Last day of a holdout period after the calibration end: writes OUT/holdout.json.")
    LocalDate holdoutEnd;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    String out;

    @Option(names = "--time-unit", defaultValue = "week", paramLabel = "day|week",
            description = "Unit of t_x, T, --horizon and the rate parameters (default: ${DEFAULT-VALUE}; week = 7 days).")
    String timeUnit;

    @Option(names = "--horizon", defaultValue = "39", paramLabel = "N",
            description = "Prediction horizon in time units for expected_purchases (default: ${DEFAULT-VALUE}).")
    double horizon;

    @Option(names = "--csv", description = "Also write OUT/customers.csv (one file, with a header).")
    boolean csv;

    @Option(names = "--format", paramLabel = "csv|parquet|whitespace",
            description = "Input format. Default: from the file extension (.csv, .parquet, .txt = whitespace).")
    String format;

    @Option(names = "--columns", split = ",", paramLabel = "NAMES",
            description = "Column names for a whitespace file without header (e.g. masterid,id,date,cds,amount).")
    List<String> columns;

    @Option(names = "--header", description = "A whitespace file's first line holds the column names.")
    boolean header;

    @Option(names = "--id-col", paramLabel = "NAME",
            description = "Customer id column (default: customer_id for transactions, id for a summary).")
    String idCol;

    @Option(names = "--date-col", defaultValue = "date", paramLabel = "NAME", description = "Date column (default: ${DEFAULT-VALUE}).")
    String dateCol;

    @Option(names = "--amount-col", paramLabel = "NAME",
            description = "Amount column (default: amount if present; without one there is no Gamma-Gamma).")
    String amountCol;

    @Option(names = "--date-format", paramLabel = "PATTERN",
            description = "Extra date pattern tried first (Spark datetime pattern, e.g. dd/MM/yyyy).")
    String dateFormat;

    @Option(names = "--x-col", defaultValue = "x", paramLabel = "NAME", description = "Summary: repeat purchases (default: ${DEFAULT-VALUE}).")
    String xCol;

    @Option(names = "--tx-col", defaultValue = "t_x", paramLabel = "NAME", description = "Summary: recency (default: ${DEFAULT-VALUE}).")
    String txCol;

    @Option(names = "--T-col", defaultValue = "T", paramLabel = "NAME", description = "Summary: age (default: ${DEFAULT-VALUE}).")
    String tCol;

    @Option(names = "--m-col", paramLabel = "NAME",
            description = "Summary: mean repeat spend (default: m if present).")
    String mCol;

    @Option(names = "--penalizer", defaultValue = "0", paramLabel = "L",
            description = "L2 penalty of the fits (default: ${DEFAULT-VALUE} = plain maximum likelihood).")
    double penalizer;

    @Option(names = "--group-resolution", defaultValue = "0", paramLabel = "R",
            description = "Bin t_x and T to this step (time units) before fitting (default: ${DEFAULT-VALUE} = exact).")
    double groupResolution;

    @Option(names = "--max-groups", defaultValue = "0", paramLabel = "N",
            description = "With --group-resolution: bin only above N groups, doubling the step until at most N "
                    + "remain (default: ${DEFAULT-VALUE} = always bin).")
    long maxGroups;

    @Option(names = "--max-bad-share", defaultValue = "0.01", paramLabel = "S",
            description = "Fail when more than this share of rows is unusable (default: ${DEFAULT-VALUE}).")
    double maxBadShare;

    @Override
    public Integer call() {
        CvmCli.verbose = common.verbose;
        CvmConfig config = CvmConfig.load(common.confFile());
        TimeUnit unit;
        try {
            unit = TimeUnit.parse(timeUnit);
        } catch (IllegalArgumentException e) {
            throw CvmException.usage("--time-unit " + e.getMessage());
        }
        ClvFitJob.Request req = new ClvFitJob.Request(input.transactions, input.summary,
                format == null ? null : FitInput.Format.parse(format), columns, header, idCol, dateCol,
                amountCol != null ? amountCol : "amount", amountCol != null, xCol, txCol, tCol,
                mCol != null ? mCol : "m", mCol != null, calibrationEnd, holdoutEnd, dateFormat, unit, horizon, csv,
                out, penalizer, groupResolution, maxGroups, maxBadShare);
        SparkSession spark = SparkSessions.create(config.spark(), common.verbose);
        StepLog log = new StepLog(System.out);
        log.stage("clv-fit");
        new ClvFitJob(spark, log).run(req);
        return 0;
    }
}
