package dev.cvm.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cvm.CvmException;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.SmallFiles;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * {@code cvm evaluate}: the cvm training procedure applied to a user's own account-level table (Parquet, or CSV with a
 * header). Columns are typed from the data ({@link ColumnInference}), the label is mapped to 0/1, a seeded stratified
 * split holds out a test set, the same search (logistic regression vs gradient-boosted trees, class weights) and
 * calibration run on the rest, and the test-set metrics are printed and written to {@code OUT/metrics.json}.
 */
public final class RecordEvaluation {
    static final String ID = "__id";
    /** Label values read as the positive class when --positive is not given (compared lower-case). */
    static final Set<String> POSITIVE_TOKENS = Set.of("1", "1.0", "true", "yes", "y", "t", "churn", "churned",
            "attrited", "attrited customer", "exited", "left", "lost", "cancelled", "canceled", "closed", "positive",
            "pos");
    private static final List<String> POSITIVE_WORDS = List.of("churn", "attrit", "exit", "cancel", "terminat", "lost",
            "closed");

    private final SparkSession spark;
    private final ModelSettings settings;
    private final StepLog log;

    public RecordEvaluation(SparkSession spark, ModelSettings settings, StepLog log) {
        this.spark = spark;
        this.settings = settings;
        this.log = log;
    }

    public record Request(String path, String idColumn, String labelColumn, String positive, List<String> exclude,
                          String outDir) {}

    /** The metrics written to metrics.json (and more, for the test and the printout). */
    public record Report(Map<String, Object> json, BinaryMetrics.Evaluation test, List<ColumnInference.Decision> columns,
                         String positiveValue, long nTrain, long nTest) {}

    public Report run(Request req) {
        Dataset<Row> raw = read(req.path());
        String id;
        if (req.idColumn() == null) {
            // No id column (e.g. the public bank-marketing file): the row's position in the file stands in.
            id = "row_number";
            raw = raw.withColumn(id, monotonically_increasing_id());
        } else {
            id = column(raw, req.idColumn(), "--id");
        }
        String label = column(raw, req.labelColumn(), "--label");
        if (id.equals(label)) {
            throw CvmException.usage("--id and --label name the same column " + id);
        }
        List<String> excluded = new ArrayList<>();
        for (String e : req.exclude()) {
            if (!e.isBlank()) {
                excluded.add(column(raw, e.trim(), "--exclude"));
            }
        }
        long rows = raw.count();
        log.info("  read %,d rows x %d columns from %s", rows, raw.columns().length, req.path());

        Column labelText = ColumnInference.normalized(label);
        String positive = positiveValue(raw, label, labelText, req.positive());
        Dataset<Row> labelled = raw.where(labelText.isNotNull());
        long unlabelled = rows - labelled.count();
        if (unlabelled > 0) {
            log.info("  %,d rows with a blank label dropped", unlabelled);
        }

        List<String> candidates = new ArrayList<>();
        for (String c : raw.columns()) {
            if (!c.equals(id) && !c.equals(label) && !excluded.contains(c)) {
                candidates.add(c);
            }
        }
        List<ColumnInference.Decision> decisions = new ColumnInference(settings.evaluateMaxCategories(),
                settings.evaluateNumericShare()).infer(labelled, candidates);
        printDecisions(id, label, excluded, decisions);

        List<Column> select = new ArrayList<>(List.of(col(FeatureSet.quote(id)).cast("string").as(ID),
                lower(labelText).equalTo(lit(positive.toLowerCase(Locale.ROOT))).cast("double").as(ModelPipelines.LABEL)));
        List<String> numeric = new ArrayList<>();
        List<String> categorical = new ArrayList<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        for (ColumnInference.Decision d : decisions) {
            if (d.kind() == ColumnInference.Kind.DROPPED) {
                continue;
            }
            select.add(d.expr().as(d.feature()));
            sourceOf.put(d.feature(), d.source());
            (d.kind() == ColumnInference.Kind.CATEGORICAL ? categorical : numeric).add(d.feature());
        }
        if (numeric.isEmpty() && categorical.isEmpty()) {
            throw new CvmException("no usable feature columns left in " + req.path() + " (see the notes above)");
        }
        Dataset<Row> prepared = labelled.select(select.toArray(new Column[0])).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return evaluate(req, prepared, positive, decisions, numeric, categorical, sourceOf);
        } finally {
            prepared.unpersist();
        }
    }

    private Report evaluate(Request req, Dataset<Row> prepared, String positive, List<ColumnInference.Decision> decisions,
                            List<String> numeric, List<String> categorical, Map<String, String> sourceOf) {
        long duplicates = prepared.groupBy(ID).count().where(col("count").gt(1)).count();
        if (duplicates > 0) {
            log.info("  note: %,d ids occur on more than one row; an account-level table has one row per id", duplicates);
        }
        Dataset<Row>[] trainTest = stratifiedSplit(prepared, settings.evaluateTestShare(), settings.seed(), "test");
        Dataset<Row> train = trainTest[0];
        Dataset<Row> test = trainTest[1];
        Dataset<Row>[] fitHoldout = stratifiedSplit(train, settings.evaluateTestShare(), settings.seed(), "holdout");
        long nTrain = train.count();
        long nTest = test.count();
        log.info("  stratified split (seed %d): train %,d rows (fit %,d, held out %,d for selection and calibration), "
                + "test %,d", settings.seed(), nTrain, fitHoldout[0].count(), fitHoldout[1].count(), nTest);

        List<String> warnings = leakWarnings(train, numeric, sourceOf);
        warnings.forEach(w -> log.info("  warning: %s", w));

        FeatureSet fs = new FeatureSet(List.copyOf(numeric), List.copyOf(categorical), List.of(), Map.of());
        ModelFitter.Result fitted = new ModelFitter(settings, log).fit("evaluate", fitHoldout[0], fitHoldout[1], fs);
        Dataset<Row> scored = fitted.model().score(test).persist(StorageLevel.MEMORY_AND_DISK());
        BinaryMetrics.Evaluation eval;
        try {
            eval = BinaryMetrics.evaluate(scored, ModelPipelines.LABEL, Calibration.CALIBRATED, Calibration.RAW);
            if (req.outDir() != null) {
                scored.select(col(ID).as("id"), col(ModelPipelines.LABEL).cast("int").as("label"),
                                col(Calibration.CALIBRATED).as("probability"))
                        .orderBy(col("probability").desc(), col("id")).coalesce(1)
                        .write().mode("overwrite").option("header", "true").csv(req.outDir() + "/predictions");
            }
        } finally {
            scored.unpersist();
        }
        if (eval.metric("roc_auc") >= 0.99) {
            warnings.add("test ROC AUC is " + String.format(Locale.ROOT, "%.4f", eval.metric("roc_auc"))
                    + ": check the top features for a column known only after the outcome");
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("roc_auc", eval.metric("roc_auc"));
        json.put("pr_auc", eval.metric("pr_auc"));
        json.put("brier", eval.metric("brier"));
        json.put("lift_top_decile", eval.metric("lift_top_decile"));
        json.put("n_train", nTrain);
        json.put("n_test", nTest);
        json.put("capture_top_decile", eval.metric("capture_top_decile"));
        json.put("ece", eval.metric("ece"));
        json.put("brier_uncalibrated", eval.metric("brier_uncalibrated"));
        json.put("positive_rate_test", eval.metric("positive_rate"));
        json.put("n_fit", fitted.fitRows());
        json.put("n_holdout", fitted.holdoutRows());
        json.put("record", req.path());
        json.put("id_column", req.idColumn() == null ? "(row number)" : req.idColumn());
        json.put("label_column", req.labelColumn());
        json.put("positive_value", positive);
        json.put("model_family", fitted.model().family());
        json.put("model_params", fitted.model().params());
        json.put("calibration", settings.calibration());
        json.put("seed", settings.seed());
        json.put("candidates", fitted.candidates());
        List<Map<String, Object>> top = new ArrayList<>();
        for (ModelFitter.Importance imp : fitted.importances()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", imp.feature());
            m.put("importance", imp.importance());
            top.add(m);
        }
        json.put("top_features", top);
        Map<String, Object> cols = new LinkedHashMap<>();
        for (ColumnInference.Decision d : decisions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
            if (d.feature() != null) {
                m.put("feature", d.feature());
            }
            m.put("note", d.note());
            cols.put(d.source(), m);
        }
        fitted.features().dropped().forEach((f, why) -> cols.put(sourceOf.getOrDefault(f, f),
                Map.of("kind", "dropped", "note", why + " in the fit rows")));
        json.put("columns", cols);
        json.put("reliability", eval.reliability());
        json.put("deciles", eval.deciles());
        json.put("warnings", warnings);

        log.info("  test (%,d rows, %.1f%% positive): ROC AUC %.4f, PR AUC %.4f, Brier %.4f (uncalibrated %.4f), "
                        + "ECE %.4f, top-decile lift %.2f (captures %.0f%% of positives); model %s %s", nTest,
                100 * eval.metric("positive_rate"), eval.metric("roc_auc"), eval.metric("pr_auc"), eval.metric("brier"),
                eval.metric("brier_uncalibrated"), eval.metric("ece"), eval.metric("lift_top_decile"),
                100 * eval.metric("capture_top_decile"), fitted.model().family(), fitted.model().params());
        if (!fitted.importances().isEmpty()) {
            log.info("  top features: %s", fitted.importances().stream().limit(8)
                    .map(i -> String.format(Locale.ROOT, "%s %.3f", i.feature(), i.importance())).toList());
        }
        if (req.outDir() != null) {
            try {
                String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
                SmallFiles.write(spark.sparkContext().hadoopConfiguration(), req.outDir() + "/metrics.json", text + "\n");
            } catch (java.io.IOException e) {
                throw new CvmException("cannot write " + req.outDir() + "/metrics.json: " + e.getMessage(), e);
            }
            log.info("  wrote %s/metrics.json and %s/predictions/ (test-set probabilities)", req.outDir(), req.outDir());
        }
        return new Report(json, eval, decisions, positive, nTrain, nTest);
    }

    /** CSV (by extension, or a directory of .csv files; delimiter detected from the header) or Parquet. */
    Dataset<Row> read(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        boolean csv = lower.endsWith(".csv") || lower.endsWith(".csv.gz") || lower.endsWith(".txt")
                || lower.endsWith(".tsv") || containsCsv(path);
        Dataset<Row> df;
        try {
            if (csv) {
                String header = spark.read().text(path).first().getString(0);
                String sep = delimiter(header);
                df = spark.read().option("header", "true").option("inferSchema", "false").option("sep", sep)
                        .option("quote", "\"").option("escape", "\"").option("mode", "PERMISSIVE")
                        .option("ignoreLeadingWhiteSpace", "true").option("ignoreTrailingWhiteSpace", "true")
                        .csv(path);
                log.info("  CSV, delimiter '%s'", sep.equals("\t") ? "\\t" : sep);
            } else {
                df = spark.read().parquet(path);
            }
        } catch (CvmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CvmException("cannot read " + path + " as " + (csv ? "CSV" : "Parquet") + ": "
                    + firstLine(e.getMessage()), e);
        }
        // A UTF-8 byte-order mark and stray spaces end up in the first header name.
        for (String c : df.columns()) {
            String clean = c.replace("\uFEFF", "").trim();
            if (!clean.equals(c)) {
                df = df.withColumnRenamed(c, clean);
            }
        }
        return df;
    }

    private boolean containsCsv(String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            var fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                throw new CvmException("record file not found: " + path);
            }
            if (!fs.getFileStatus(p).isDirectory()) {
                return false;
            }
            for (var st : fs.listStatus(p)) {
                if (st.getPath().getName().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            throw new CvmException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The candidate delimiter that occurs most often outside quotes in the header line. */
    static String delimiter(String header) {
        String best = ",";
        int bestCount = 0;
        for (String d : List.of(",", ";", "\t", "|")) {
            int n = 0;
            boolean quoted = false;
            for (char ch : header.toCharArray()) {
                if (ch == '"') {
                    quoted = !quoted;
                } else if (!quoted && ch == d.charAt(0)) {
                    n++;
                }
            }
            if (n > bestCount) {
                best = d;
                bestCount = n;
            }
        }
        return best;
    }

    /** The column as named, else the one column matching case-insensitively. */
    private static String column(Dataset<Row> df, String name, String option) {
        for (String c : df.columns()) {
            if (c.equals(name)) {
                return c;
            }
        }
        List<String> ci = java.util.Arrays.stream(df.columns()).filter(c -> c.equalsIgnoreCase(name)).toList();
        if (ci.size() == 1) {
            return ci.get(0);
        }
        throw CvmException.usage(option + " " + name + ": no such column; the columns are "
                + java.util.Arrays.toString(df.columns()));
    }

    /** Which label value is the positive class: --positive, else 1 of 0/1, else a churn-style value. */
    private String positiveValue(Dataset<Row> df, String label, Column labelText, String requested) {
        List<Row> counts = df.where(labelText.isNotNull()).groupBy(labelText.as("v")).agg(count(lit(1)).as("n"))
                .orderBy(col("n").desc(), col("v")).limit(50).collectAsList();
        List<String> values = counts.stream().map(r -> r.getString(0)).toList();
        if (values.isEmpty()) {
            throw new CvmException("label column " + label + " has no values");
        }
        if (values.size() == 1) {
            throw new CvmException("label column " + label + " has a single value '" + values.get(0)
                    + "': there is nothing to predict");
        }
        String positive;
        if (requested != null) {
            Optional<String> match = values.stream().filter(v -> v.equalsIgnoreCase(requested.trim())).findFirst();
            if (match.isEmpty()) {
                throw CvmException.usage("--positive " + requested + " is not a value of " + label + "; values: "
                        + values.stream().limit(10).toList());
            }
            positive = match.get();
            if (values.size() > 2) {
                log.info("  label %s has %d values: '%s' is positive, every other value negative", label,
                        values.size(), positive);
            }
        } else {
            if (values.size() > 2) {
                throw new CvmException("label column " + label + " is not binary: " + (values.size() >= 50 ? "50+"
                        : values.size()) + " values, e.g. " + values.stream().limit(10).toList()
                        + " (pass --positive VALUE to predict one value against all others)");
            }
            positive = guessPositive(values.get(0), values.get(1));
            if (positive == null) {
                throw CvmException.usage("cannot tell which value of " + label + " is the positive class: "
                        + values + "; pass --positive VALUE");
            }
        }
        long pos = counts.stream().filter(r -> r.getString(0).equals(positive)).mapToLong(r -> r.getLong(1)).sum();
        long all = counts.stream().mapToLong(r -> r.getLong(1)).sum();
        log.info("  label %s: positive = '%s' (%,d of %,d rows, %.1f%%)", label, positive, pos, all, 100.0 * pos / all);
        return positive;
    }

    static String guessPositive(String a, String b) {
        Double na = number(a);
        Double nb = number(b);
        if (na != null && nb != null) {
            // 0/1 coding: 1 is the event. Any other pair of numbers (1/2, -1/1 ...) is a convention to be told.
            if (na == 0 && nb == 1) {
                return b;
            }
            return na == 1 && nb == 0 ? a : null;
        }
        boolean pa = POSITIVE_TOKENS.contains(a.toLowerCase(Locale.ROOT));
        boolean pb = POSITIVE_TOKENS.contains(b.toLowerCase(Locale.ROOT));
        if (pa != pb) {
            return pa ? a : b;
        }
        boolean wa = POSITIVE_WORDS.stream().anyMatch(w -> a.toLowerCase(Locale.ROOT).contains(w));
        boolean wb = POSITIVE_WORDS.stream().anyMatch(w -> b.toLowerCase(Locale.ROOT).contains(w));
        if (wa != wb) {
            return wa ? a : b;
        }
        return null;
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Splits each class separately so both parts keep the label's share: rows are ordered by a seeded hash of the id
     * (ties by id) and the first round(share * class size) of each class are held out. Returns {rest, held out}.
     */
    @SuppressWarnings("unchecked")
    static Dataset<Row>[] stratifiedSplit(Dataset<Row> df, double share, long seed, String salt) {
        Column h = xxhash64(lit(seed), lit(salt), col(ID));
        WindowSpec byClass = Window.partitionBy(ModelPipelines.LABEL);
        // The hash of the whole row breaks ties between duplicate ids, so the split is the same on every run.
        Column whole = xxhash64(java.util.Arrays.stream(df.columns()).map(c -> col(FeatureSet.quote(c)))
                .toArray(Column[]::new));
        Dataset<Row> ranked = df.withColumn("__rn", row_number().over(byClass.orderBy(h, col(ID), whole)))
                .withColumn("__cnt", count(lit(1)).over(byClass));
        Column held = col("__rn").leq(round(col("__cnt").multiply(share)));
        return new Dataset[] {ranked.where(org.apache.spark.sql.functions.not(held)).drop("__rn", "__cnt"),
                ranked.where(held).drop("__rn", "__cnt")};
    }

    /** A numeric column that alone nearly separates the classes is usually known only after the outcome. */
    private List<String> leakWarnings(Dataset<Row> train, List<String> numeric, Map<String, String> sourceOf) {
        List<String> out = new ArrayList<>();
        if (numeric.size() > 200) {
            return out;
        }
        for (String f : numeric) {
            Dataset<Row> d = train.select(col(f).as("s"), col(ModelPipelines.LABEL)).where(col("s").isNotNull());
            if (!(d.schema().apply("s").dataType() instanceof NumericType)) {
                continue;
            }
            double auc = BinaryMetrics.rocAuc(d.withColumn("s", col("s").cast(DataTypes.DoubleType)),
                    ModelPipelines.LABEL, "s");
            double strength = Math.max(auc, 1 - auc);
            if (strength >= 0.98) {
                out.add(String.format(Locale.ROOT, "column %s alone separates the label (ROC AUC %.3f): a leak? "
                        + "--exclude it if it is only known after the outcome", sourceOf.get(f), auc));
            }
        }
        return out;
    }

    private void printDecisions(String id, String label, List<String> excluded, List<ColumnInference.Decision> ds) {
        log.info("  columns:");
        log.info("    %-28s id", id);
        log.info("    %-28s label", label);
        excluded.forEach(e -> log.info("    %-28s excluded (--exclude)", e));
        ds.stream().sorted(Comparator.comparing((ColumnInference.Decision d) -> d.kind() == ColumnInference.Kind.DROPPED))
                .forEach(d -> log.info("    %-28s %s", d.source(), d.describe()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
