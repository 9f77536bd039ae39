package dev.cvm.clv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cvm.CvmException;
import dev.cvm.clv.math.BgNbd;
import dev.cvm.clv.math.FitResult;
import dev.cvm.clv.math.GammaGamma;
import dev.cvm.clv.math.ModelFit;
import dev.cvm.clv.math.ParetoNbd;
import dev.cvm.pipeline.StepLog;
import dev.cvm.spark.ExactSums;
import dev.cvm.warehouse.SmallFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code cvm clv-fit}: fits BG/NBD, Pareto/NBD and (with spend) Gamma-Gamma on a data scientist's own file and writes
 * params.json, per-customer predictions and, with a holdout period, holdout.json. Nothing per customer is collected:
 * the file is cleaned and summarised in Spark, only grouped statistics reach the driver.
 *
 * <p>Messy input is expected. Blank lines are skipped. Rows without an id, with a date or an amount that cannot be
 * parsed, or (whitespace files) with the wrong number of fields are counted and left out; if they are more than
 * {@code maxBadShare} of the non-blank rows the run fails. Negative amounts are returns: left out and counted (the
 * purchase they refund still counts). A zero amount is a purchase worth 0. Rows dated after the last day used
 * (holdout end, else calibration end) are ignored and counted; customers whose first purchase is after the
 * calibration end have no calibration history and are left out and counted.
 */
public final class ClvFitJob {
    /** Everything the command line says. Column names are matched exactly, then case-insensitively. */
    public record Request(String transactions, String summary, FitInput.Format format, List<String> columns,
                          boolean header, String idCol, String dateCol, String amountCol, boolean amountRequired,
                          String xCol, String txCol, String TCol, String mCol, boolean mRequired,
                          LocalDate calibrationEnd, LocalDate holdoutEnd, String dateFormat, TimeUnit unit,
                          double horizon, boolean csv, String out, double penalizer, double groupResolution,
                          long maxGroups, double maxBadShare) {}

    /** What was fitted; {@code gammaGamma} and {@code holdout} may be null. */
    public record Result(long customers, FitResult bgNbd, FitResult paretoNbd, FitResult gammaGamma,
                         Map<String, Object> params, Map<String, Object> holdout) {}

    private final SparkSession spark;
    private final StepLog log;

    public ClvFitJob(SparkSession spark, StepLog log) {
        this.spark = spark;
        this.log = log;
    }

    public Result run(Request req) {
        validate(req);
        Dataset<Row> summary;
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            summary = req.transactions() != null ? fromTransactions(req, cached) : fromSummary(req, cached);
            summary = summary.persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(summary);
            return fitAndWrite(req, summary);
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    private static void validate(Request req) {
        if ((req.transactions() == null) == (req.summary() == null)) {
            throw CvmException.usage("give exactly one of --transactions FILE and --summary FILE");
        }
        if (req.transactions() != null && req.calibrationEnd() == null) {
            throw CvmException.usage("--transactions needs --calibration-end YYYY-MM-DD (inclusive)");
        }
        if (req.summary() != null && req.holdoutEnd() != null) {
            throw CvmException.usage("--holdout-end needs --transactions: a summary file has no holdout purchases");
        }
        if (req.holdoutEnd() != null && !req.holdoutEnd().isAfter(req.calibrationEnd())) {
            throw CvmException.usage("--holdout-end " + req.holdoutEnd() + " must be after --calibration-end "
                    + req.calibrationEnd());
        }
        if (!(req.horizon() >= 0) || Double.isInfinite(req.horizon())) {
            throw CvmException.usage("--horizon must be >= 0 time units, got " + req.horizon());
        }
        if (!(req.maxBadShare() >= 0 && req.maxBadShare() <= 1)) {
            throw CvmException.usage("--max-bad-share must be between 0 and 1, got " + req.maxBadShare());
        }
        if (!(req.penalizer() >= 0) || !(req.groupResolution() >= 0) || req.maxGroups() < 0) {
            throw CvmException.usage("--penalizer, --group-resolution and --max-groups must be >= 0");
        }
    }

    // ---------------------------------------------------------------- transactions

    private Dataset<Row> fromTransactions(Request req, List<Dataset<Row>> cached) {
        FitInput.Format format = req.format() != null ? req.format() : FitInput.detect(spark, req.transactions());
        Dataset<Row> raw = FitInput.read(spark, req.transactions(), format, req.columns(), req.header());
        String idC = FitInput.require(raw, req.idCol() != null ? req.idCol() : "customer_id", "--id-col");
        String dateC = FitInput.require(raw, req.dateCol(), "--date-col");
        String amountC = req.amountRequired() ? FitInput.require(raw, req.amountCol(), "--amount-col")
                : FitInput.find(raw, req.amountCol());
        log.info("  input %s (%s): id '%s', date '%s', amount %s", req.transactions(), format.name().toLowerCase(
                Locale.ROOT), idC, dateC, amountC == null ? "none (no Gamma-Gamma)" : "'" + amountC + "'");

        LocalDate lastDay = req.holdoutEnd() != null ? req.holdoutEnd() : req.calibrationEnd();
        DataType idT = raw.schema().apply(idC).dataType();
        DataType dateT = raw.schema().apply(dateC).dataType();
        Column id = regexp_replace(col(idC).cast(DataTypes.StringType), "^\\s+|\\s+$", "");
        Column date = FitInput.parseDate(col(dateC), dateT, req.dateFormat());
        Column amount = amountC == null ? lit(null).cast(DataTypes.DoubleType)
                : FitInput.parseNumber(col(amountC), raw.schema().apply(amountC).dataType());
        Column blank = FitInput.blank(col(idC), idT).and(FitInput.blank(col(dateC), dateT));
        if (amountC != null) {
            blank = blank.and(FitInput.blank(col(amountC), raw.schema().apply(amountC).dataType()));
        }
        Column malformed = FitInput.find(raw, FitInput.MALFORMED) != null ? col(FitInput.MALFORMED) : lit(false);
        Column status = when(blank, lit("blank"))
                .when(malformed, lit("malformed"))
                .when(FitInput.blank(col(idC), idT), lit("missing_id"))
                .when(date.isNull(), lit("bad_date"))
                .when(lit(amountC != null).and(amount.isNull()), lit("bad_amount"))
                .when(amount.lt(0), lit("negative_amount"))
                .when(date.gt(lit(lastDay)), lit("after_end"))
                .otherwise(lit("ok"));
        Column example = when(status.equalTo("bad_date"), col(dateC).cast(DataTypes.StringType))
                .when(status.equalTo("bad_amount"), amountC == null ? lit(null) : col(amountC).cast(DataTypes.StringType))
                .when(status.equalTo("malformed"), lit("(wrong number of fields)"));
        Dataset<Row> parsed = raw.select(id.as("id"), date.as("day"), amount.as("amount"), status.as("status"),
                example.as("example")).persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(parsed);

        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        long[] zero = {0};
        log.step("read and parse", () -> {
            long total = 0;
            for (Row r : parsed.groupBy("status").agg(count(lit(1)), first(col("example"), true),
                    count(when(col("amount").equalTo(0.0), lit(1)))).collectAsList()) {
                byStatus.put(r.getString(0), r.getLong(1));
                if (!r.isNullAt(2)) {
                    examples.put(r.getString(0), r.getString(2));
                }
                if (r.getString(0).equals("ok")) {
                    zero[0] = r.getLong(3);
                }
                total += r.getLong(1);
            }
            return total;
        });
        reportQuality(req, byStatus, examples, zero[0], lastDay);

        Dataset<Row> good = parsed.where(col("status").equalTo("ok")).select("id", "day", "amount");
        RfmSummary.Columns cols = new RfmSummary.Columns("id", "day", amountC == null ? null : "amount");
        long unborn = RfmSummary.countFirstPurchaseAfter(good, cols, req.calibrationEnd(), lastDay);
        if (unborn > 0) {
            log.info("  %,d customers first bought after the calibration end %s: no calibration history, left out",
                    unborn, req.calibrationEnd());
        }
        return RfmSummary.summarize(good, cols, req.calibrationEnd(), req.holdoutEnd(), req.unit());
    }

    private void reportQuality(Request req, Map<String, Long> byStatus, Map<String, String> examples, long zero,
                               LocalDate lastDay) {
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long blank = byStatus.getOrDefault("blank", 0L);
        long nonBlank = total - blank;
        List<String> badKinds = List.of("malformed", "missing_id", "bad_date", "bad_amount");
        long bad = badKinds.stream().mapToLong(k -> byStatus.getOrDefault(k, 0L)).sum();
        log.info("  %,d rows: %,d usable, %,d blank skipped", total, byStatus.getOrDefault("ok", 0L), blank);
        String[][] lines = {
                {"malformed", "lines with the wrong number of fields"},
                {"missing_id", "rows without a customer id"},
                {"bad_date", "rows with a date that could not be parsed (pass --date-format if it is valid)"},
                {"bad_amount", "rows with an amount that is not a number"},
                {"negative_amount", "rows with a negative amount: returns, left out"},
                {"after_end", "rows dated after " + lastDay + ": ignored"}};
        for (String[] l : lines) {
            long n = byStatus.getOrDefault(l[0], 0L);
            if (n > 0) {
                String ex = examples.get(l[0]);
                log.info("  %,d %s%s", n, l[1], ex == null ? "" : ", e.g. '" + ex + "'");
            }
        }
        if (zero > 0) {
            log.info("  %,d rows with amount 0: kept as purchases worth 0", zero);
        }
        if (nonBlank == 0) {
            throw new CvmException("the input has no rows");
        }
        double share = (double) bad / nonBlank;
        if (share > req.maxBadShare()) {
            throw new CvmException(String.format(Locale.ROOT, "%,d of %,d rows (%.1f%%) could not be used (%s), "
                            + "more than --max-bad-share %.1f%%: check the column options and formats, or raise "
                            + "--max-bad-share", bad, nonBlank, 100 * share,
                    badKinds.stream().filter(k -> byStatus.getOrDefault(k, 0L) > 0)
                            .map(k -> k + " " + byStatus.get(k)).toList(), 100 * req.maxBadShare()));
        }
    }

    // ---------------------------------------------------------------- summary

    private Dataset<Row> fromSummary(Request req, List<Dataset<Row>> cached) {
        FitInput.Format format = req.format() != null ? req.format() : FitInput.detect(spark, req.summary());
        Dataset<Row> raw = FitInput.read(spark, req.summary(), format, req.columns(), req.header());
        String idC = FitInput.require(raw, req.idCol() != null ? req.idCol() : "id", "--id-col");
        String xC = FitInput.require(raw, req.xCol(), "--x-col");
        String txC = FitInput.require(raw, req.txCol(), "--tx-col");
        String tC = FitInput.require(raw, req.TCol(), "--T-col");
        String mC = req.mRequired() ? FitInput.require(raw, req.mCol(), "--m-col") : FitInput.find(raw, req.mCol());
        log.info("  summary %s: id '%s', x '%s', t_x '%s', T '%s', m %s", req.summary(), idC, xC, txC, tC,
                mC == null ? "none (no Gamma-Gamma)" : "'" + mC + "'");
        var schema = raw.schema();
        Column x = FitInput.parseNumber(col(xC), schema.apply(xC).dataType());
        Column tx = FitInput.parseNumber(col(txC), schema.apply(txC).dataType());
        Column T = FitInput.parseNumber(col(tC), schema.apply(tC).dataType());
        Column m = mC == null ? lit(null).cast(DataTypes.DoubleType)
                : FitInput.parseNumber(col(mC), schema.apply(mC).dataType());
        Column blank = FitInput.blank(col(idC), schema.apply(idC).dataType())
                .and(FitInput.blank(col(xC), schema.apply(xC).dataType()))
                .and(FitInput.blank(col(tC), schema.apply(tC).dataType()));
        Column malformed = FitInput.find(raw, FitInput.MALFORMED) != null ? col(FitInput.MALFORMED) : lit(false);
        Column status = when(blank, lit("blank"))
                .when(malformed, lit("malformed"))
                .when(FitInput.blank(col(idC), schema.apply(idC).dataType()), lit("missing_id"))
                .when(x.isNull().or(x.lt(0)).or(x.notEqual(floor(x))), lit("bad_x"))
                .when(tx.isNull().or(T.isNull()).or(tx.lt(0)).or(tx.gt(T)).or(x.equalTo(0).and(tx.notEqual(0))),
                        lit("bad_tx_T"))
                .otherwise(lit("ok"));
        Dataset<Row> parsed = raw.select(regexp_replace(col(idC).cast(DataTypes.StringType), "^\\s+|\\s+$", "")
                        .as("id"), x.as("x"), tx.as("t_x"), T.as("T"), m.as("m"), status.as("status"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(parsed);
        Map<String, Long> byStatus = new TreeMap<>();
        log.step("read and check", () -> {
            long total = 0;
            for (Row r : parsed.groupBy("status").count().collectAsList()) {
                byStatus.put(r.getString(0), r.getLong(1));
                total += r.getLong(1);
            }
            return total;
        });
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long nonBlank = total - byStatus.getOrDefault("blank", 0L);
        long bad = nonBlank - byStatus.getOrDefault("ok", 0L);
        if (bad > 0) {
            log.info("  %,d rows left out: %s (x must be a whole number >= 0, 0 <= t_x <= T, t_x = 0 when x = 0)",
                    bad, byStatus);
        }
        if (nonBlank == 0) {
            throw new CvmException("the summary file has no rows");
        }
        if ((double) bad / nonBlank > req.maxBadShare()) {
            throw new CvmException(String.format(Locale.ROOT, "%,d of %,d summary rows are invalid %s, more than "
                    + "--max-bad-share %.1f%%: check --x-col/--tx-col/--T-col", bad, nonBlank, byStatus,
                    100 * req.maxBadShare()));
        }
        return parsed.where(col("status").equalTo("ok"))
                .select(col("id"), col("x").cast(DataTypes.IntegerType).as("x"), col("t_x"), col("T"),
                        when(col("x").gt(0), col("m")).as("m"));
    }

    // ---------------------------------------------------------------- fit and outputs

    private Result fitAndWrite(Request req, Dataset<Row> summary) {
        ClvModels.FitSettings fit = new ClvModels.FitSettings(req.penalizer(), "--penalizer");
        SufficientStats.RfmGrouping rfm = log.run("group (x, t_x, T)", () -> SufficientStats.rfm(summary, "x", "t_x",
                "T", req.groupResolution(), req.maxGroups()));
        if (rfm.nCustomers() == 0) {
            throw new CvmException("no customer has a purchase on or before the calibration end"
                    + (req.calibrationEnd() == null ? "" : " " + req.calibrationEnd()));
        }
        log.info("    %,d customers in %,d groups%s", rfm.nCustomers(), rfm.groups().size(),
                rfm.resolution() == 0 ? " (exact values)" : String.format(Locale.ROOT, " (t_x and T binned to %s %ss;"
                        + " %,d exact groups)", rfm.resolution(), req.unit().label(), rfm.exactGroups()));
        if (rfm.resolution() == 0 && rfm.groups().size() > 100_000) {
            log.info("    that many groups makes fitting slow: consider --group-resolution 0.1 --max-groups 20000");
        }
        ModelFit<BgNbd> bg = log.run("fit BG/NBD", () -> ClvModels.bgNbd(rfm.groups(), fit));
        ModelFit<ParetoNbd> pareto = log.run("fit Pareto/NBD", () -> ClvModels.paretoNbd(rfm.groups(), fit));

        boolean hasSpend = !summary.where(col("m").isNotNull()).isEmpty();
        ModelFit<GammaGamma> gg = null;
        SufficientStats.SpendGrouping spend = null;
        if (hasSpend) {
            spend = log.run("group (x, m) of repeaters", () -> SufficientStats.spend(summary, "x", "m",
                    req.maxGroups()));
            SufficientStats.SpendGrouping sg = spend;
            gg = log.run("fit Gamma-Gamma", () -> ClvModels.gammaGamma(sg.groups(), fit));
        }

        Map<String, Object> params = paramsJson(req.unit(), rfm.nCustomers(), bg, pareto, gg, spend);
        writeJson(req.out() + "/params.json", params);
        Dataset<Row> customers = predictions(summary, bg.model(), gg == null ? null : gg.model(), req.horizon());
        log.step("write customers.parquet", () -> {
            customers.write().mode("overwrite").parquet(req.out() + "/customers.parquet");
            return rfm.nCustomers();
        });
        if (req.csv()) {
            log.step("write customers.csv", () -> {
                writeSingleCsv(customers.orderBy("id"), req.out() + "/customers.csv");
                return rfm.nCustomers();
            });
        }
        Map<String, Object> holdout = null;
        if (req.holdoutEnd() != null) {
            holdout = log.run("holdout comparison", () -> holdoutJson(req, summary, bg.model()));
            writeJson(req.out() + "/holdout.json", holdout);
        }
        printSummary(req, rfm, bg, pareto, gg, spend, holdout);
        return new Result(rfm.nCustomers(), bg.result(), pareto.result(), gg == null ? null : gg.result(), params,
                holdout);
    }

    private Dataset<Row> predictions(Dataset<Row> summary, BgNbd bg, GammaGamma gg, double horizon) {
        Column s = ClvScoring.score(spark, bg, col("x"), col("t_x"), col("T"), horizon, null);
        Column spend = gg == null ? lit(null).cast(DataTypes.DoubleType)
                : ClvScoring.expectedAverageSpend(gg, col("x"), col("m"));
        return summary.withColumn("s", s).select(col("id"), col("x"), col("t_x"), col("T"), col("m"),
                col("s." + ClvScoring.P_ALIVE).as("p_alive"),
                col("s." + ClvScoring.EXPECTED_PURCHASES).as("expected_purchases"),
                spend.as("expected_avg_spend"));
    }

    private Map<String, Object> holdoutJson(Request req, Dataset<Row> summary, BgNbd bg) {
        double length = ChronoUnit.DAYS.between(req.calibrationEnd(), req.holdoutEnd()) / req.unit().days();
        Column bin = when(col("x").geq(7), lit("7+")).otherwise(col("x").cast(DataTypes.StringType));
        List<Row> rows = summary.withColumn("s", ClvScoring.score(spark, bg, col("x"), col("t_x"), col("T"), length,
                        null))
                .groupBy(bin.as("bin"))
                .agg(count(lit(1)).as("n"), sum(col(RfmSummary.X_HOLDOUT)).as("actual"),
                        ExactSums.sum(col("s." + ClvScoring.EXPECTED_PURCHASES), ExactSums.QUANTITY).as("predicted"))
                .collectAsList();
        Map<String, Row> byBin = new TreeMap<>();
        rows.forEach(r -> byBin.put(r.getString(0), r));
        List<Map<String, Object>> bins = new ArrayList<>();
        long n = 0;
        long actual = 0;
        double predicted = 0;
        for (String b : List.of("0", "1", "2", "3", "4", "5", "6", "7+")) {
            Row r = byBin.get(b);
            if (r == null) {
                continue;
            }
            long k = r.getLong(1);
            long a = r.getLong(2);
            double p = r.getDouble(3);
            n += k;
            actual += a;
            predicted += p;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("x", b);
            m.put("n_customers", k);
            m.put("actual_total", a);
            m.put("predicted_total", p);
            m.put("actual_mean", (double) a / k);
            m.put("predicted_mean", p / k);
            bins.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", "bgnbd");
        out.put("time_unit", req.unit().label());
        out.put("calibration_end", req.calibrationEnd().toString());
        out.put("holdout_end", req.holdoutEnd().toString());
        out.put("holdout_length", length);
        out.put("n_customers", n);
        out.put("actual_repeat_purchases", actual);
        out.put("predicted_repeat_purchases", predicted);
        out.put("by_calibration_frequency", bins);
        return out;
    }

    static Map<String, Object> paramsJson(TimeUnit unit, long n, ModelFit<BgNbd> bg, ModelFit<ParetoNbd> pareto,
                                          ModelFit<GammaGamma> gg, SufficientStats.SpendGrouping spend) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time_unit", unit.label());
        out.put("n_customers", n);
        out.put("bgnbd", fitJson(bg.result(), true));
        out.put("pareto_nbd", fitJson(pareto.result(), true));
        if (gg != null) {
            Map<String, Object> g = fitJson(gg.result(), false);
            g.put("n_customers", spend.nCustomers());
            out.put("gamma_gamma", g);
        }
        return out;
    }

    private static Map<String, Object> fitJson(FitResult r, boolean withLogLikelihood) {
        Map<String, Object> m = new LinkedHashMap<>();
        double[] v = r.params();
        for (int i = 0; i < v.length; i++) {
            m.put(r.paramNames().get(i), v[i]);
        }
        if (withLogLikelihood) {
            m.put("log_likelihood", r.logLikelihood());
        }
        return m;
    }

    private void writeJson(String path, Map<String, Object> content) {
        try {
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(content);
            SmallFiles.write(spark.sparkContext().hadoopConfiguration(), path, json + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One CSV file with a header: written by one task (no driver collect), then renamed out of Spark's folder. */
    private void writeSingleCsv(Dataset<Row> df, String path) {
        String tmp = path + ".tmp-" + System.nanoTime();
        df.coalesce(1).write().option("header", "true").mode("overwrite").csv(tmp);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            Path dir = new Path(tmp);
            FileSystem fs = dir.getFileSystem(conf);
            FileStatus[] parts = fs.listStatus(dir, p -> p.getName().startsWith("part-"));
            if (parts.length != 1) {
                throw new IllegalStateException("expected one CSV part in " + tmp + ", found " + parts.length);
            }
            Path target = new Path(path);
            fs.delete(target, false);
            if (!fs.rename(parts[0].getPath(), target)) {
                throw new IOException("rename to " + path + " failed");
            }
            fs.delete(dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    private void printSummary(Request req, SufficientStats.RfmGrouping rfm, ModelFit<BgNbd> bg,
                              ModelFit<ParetoNbd> pareto, ModelFit<GammaGamma> gg,
                              SufficientStats.SpendGrouping spend, Map<String, Object> holdout) {
        log.info("");
        log.info("clv-fit: %,d customers, time unit %s -> %s", rfm.nCustomers(), req.unit().label(), req.out());
        log.info("  BG/NBD       %s   LL %.2f", ClvModels.describe(bg.result()), bg.result().logLikelihood());
        log.info("  Pareto/NBD   %s   LL %.2f", ClvModels.describe(pareto.result()), pareto.result().logLikelihood());
        if (gg != null) {
            log.info("  Gamma-Gamma  %s   on %,d repeaters", ClvModels.describe(gg.result()), spend.nCustomers());
        }
        if (holdout != null) {
            log.info("  holdout %s..%s: %,d actual repeat purchases, %.1f predicted (BG/NBD)",
                    req.calibrationEnd().plusDays(1), req.holdoutEnd(), holdout.get("actual_repeat_purchases"),
                    (Double) holdout.get("predicted_repeat_purchases"));
        }
    }
}
