package dev.cvm.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.CvmException;
import dev.cvm.features.FeatureSettings;
import dev.cvm.pipeline.Concurrently;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.apache.spark.sql.functions.col;

/**
 * {@code cvm train}: fits the churn and upsell models on the matured, labelled snapshots of a run date
 * (account_features joined to account_labels on account_id + as_of_date, active accounts only), evaluates each on the
 * latest labelled as-of date, compares it with the current champion on that same date, saves the MLlib artifacts and
 * registers the version (champion or challenger) in {@code model_registry}.
 */
public final class TrainStage {
    /** Never model inputs: keys, dates, the account status (training is on active accounts only) and every label. */
    static final Set<String> NOT_FEATURES = Set.of("account_id", "as_of_date", "customer_id", "account_status",
            "days_since_close", "run_date", "horizon_days", "churned", "first_purchase_date", "last_purchase_date");

    private final Warehouse warehouse;
    private final ModelSettings settings;
    private final FeatureSettings featureSettings;
    private final StepLog log;
    private final ModelRegistry registry;

    public TrainStage(Warehouse warehouse, ModelSettings settings, FeatureSettings featureSettings, StepLog log) {
        this.warehouse = warehouse;
        this.settings = settings;
        this.featureSettings = featureSettings;
        this.log = log;
        this.registry = new ModelRegistry(warehouse);
    }

    /** The outcome for one model: the registered version, and whether it became champion. */
    public record Outcome(ModelVersion version, BinaryMetrics.Evaluation validation, boolean champion) {}

    public List<Outcome> run(LocalDate runDate, List<ModelTarget> targets) {
        Dataset<Row> labels = warehouse.readRunDate(Table.ACCOUNT_LABELS, runDate, "features --training");
        Dataset<Row> features = warehouse.readRunDate(Table.ACCOUNT_FEATURES, runDate, "features --training");
        List<LocalDate> dates = labels.select(TimeSplit.AS_OF).distinct().collectAsList().stream()
                .map(r -> toLocalDate(r.get(0))).sorted().toList();
        TimeSplit split = TimeSplit.plan(dates, settings.holdoutShare(), settings.seed());
        log.info("  labelled as-of dates %s: fit %s, held out %.0f%% of %s, validation %s", dates,
                split.trainingDates(), settings.holdoutShare() * 100, split.holdoutDate(), split.validationDate());

        Dataset<Row> joined = features.join(labels, new String[] {"account_id", TimeSplit.AS_OF})
                .where(col("account_status").equalTo("active"));
        if (settings.reproducibleTraining()) {
            // MLlib merges partial sums (gradients, statistics) in task-completion order, so the last bits of a model
            // depend on the partitioning; one sorted partition makes every fit the same, bit for bit.
            joined = joined.repartition(1).sortWithinPartitions("account_id", TimeSplit.AS_OF);
            log.info("  reproducible training: fitting on one sorted partition");
        }
        joined = joined.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> rows = joined;
            // The models are fitted and judged at the same time (each is a long series of small Spark jobs), but
            // saved and registered one by one in target order, so versions and registry commits never depend on
            // timing, and a failure of any model registers none.
            List<Judged> judged = Concurrently.map(targets, settings.parallelModels(),
                    t -> fitAndJudge(runDate, t, rows, split, features.columns()));
            List<Outcome> out = new ArrayList<>();
            for (Judged j : judged) {
                out.add(register(runDate, j, split));
            }
            return out;
        } finally {
            joined.unpersist();
        }
    }

    /** A fitted model, its validation, and the promotion gate's verdict, not yet saved or registered. */
    private record Judged(ModelTarget target, ModelFitter.Result fitted, BinaryMetrics.Evaluation eval,
                          Decision decision) {}

    private Judged fitAndJudge(LocalDate runDate, ModelTarget target, Dataset<Row> joined, TimeSplit split,
                               String[] featureColumns) {
        String name = target.name();
        if (!List.of(joined.columns()).contains(target.labelColumn())) {
            throw new CvmException("account_labels of " + runDate + " has no column " + target.labelColumn()
                    + ": re-run `cvm features --run-date " + runDate + " --training` with the current config");
        }
        Set<String> excluded = new LinkedHashSet<>(NOT_FEATURES);
        excluded.addAll(settings.excludeFeatures());
        Dataset<Row> rows = joined.where(col(target.labelColumn()).isNotNull())
                .withColumn(ModelPipelines.LABEL, col(target.labelColumn()).cast("double"));
        for (String c : rows.columns()) {
            if (!List.of(featureColumns).contains(c) || c.startsWith("adopted_")) {
                excluded.add(c);
            }
        }
        FeatureSet candidates = FeatureSet.byType(rows.schema(), excluded);

        ModelFitter.Result fitted = new ModelFitter(settings, log).fit(name, split.fit(rows), split.holdout(rows),
                candidates);
        FittedModel model = fitted.model();
        Dataset<Row> validation = model.score(split.validation(rows)).persist(StorageLevel.MEMORY_AND_DISK());
        BinaryMetrics.Evaluation eval;
        Decision decision;
        try {
            eval = BinaryMetrics.evaluate(validation, ModelPipelines.LABEL, Calibration.CALIBRATED, Calibration.RAW);
            decision = decide(name, eval, split.validation(rows), split.validationDate());
        } finally {
            validation.unpersist();
        }
        return new Judged(target, fitted, eval, decision);
    }

    private Outcome register(LocalDate runDate, Judged judged, TimeSplit split) {
        ModelTarget target = judged.target();
        String name = target.name();
        ModelFitter.Result fitted = judged.fitted();
        FittedModel model = fitted.model();
        BinaryMetrics.Evaluation eval = judged.eval();
        Decision decision = judged.decision();
        int version = registry.nextVersion(name);
        String path = warehouse.artifactPath("models", name, "v" + version);
        log.run("  " + name + ": save v" + version, () -> {
            model.save(path);
            return null;
        });
        Map<String, Double> metrics = new LinkedHashMap<>(eval.metrics());
        metrics.put("n_fit", (double) fitted.fitRows());
        metrics.put("n_fit_positives", (double) fitted.fitPositives());
        metrics.put("n_holdout", (double) fitted.holdoutRows());
        metrics.put("n_holdout_positives", (double) fitted.holdoutPositives());
        metrics.put("holdout_roc_auc", fitted.candidates().stream()
                .mapToDouble(ModelFitter.CandidateResult::holdoutRocAuc).max().orElse(Double.NaN));
        Map<String, String> params = new LinkedHashMap<>(model.params());
        params.put("calibration", settings.calibration());
        params.put("class_weights", settings.classWeights());
        params.put("seed", String.valueOf(settings.seed()));
        params.put("holdout_share", String.valueOf(settings.holdoutShare()));

        Instant now = Instant.now();
        ModelVersion v = new ModelVersion(name, version, ModelVersion.CHALLENGER, now, runDate,
                target.labelColumn(), model.family(), split.trainingDates(), split.holdoutDate(),
                split.validationDate(), model.inputColumns(), params, metrics,
                details(split, fitted, eval, decision), path, decision.reason(), null, null, now);
        if (decision.promote()) {
            v = v.asChampion(decision.reason(), now, decision.champion().map(ModelVersion::version).orElse(null));
        }
        registry.register(v);
        log.info("  %s v%d (%s): validation ROC AUC %.4f, PR AUC %.4f, Brier %.4f (uncalibrated %.4f), "
                        + "top-decile lift %.2f -> %s: %s", name, version, model.family(), eval.metric("roc_auc"),
                eval.metric("pr_auc"), eval.metric("brier"), eval.metric("brier_uncalibrated"),
                eval.metric("lift_top_decile"), v.status(), decision.reason());
        return new Outcome(v, eval, decision.promote());
    }

    /** The promotion gate's verdict. {@code championScore} is the champion re-scored on the new validation rows. */
    record Decision(boolean promote, String reason, Optional<ModelVersion> champion, Double championScore) {}

    private Decision decide(String name, BinaryMetrics.Evaluation eval, Dataset<Row> validationRows,
                            LocalDate validationDate) {
        String metric = settings.promotionMetric();
        double mine = eval.metric(metric);
        Optional<ModelVersion> champion = registry.champion(name);
        if (champion.isEmpty()) {
            double auc = eval.metric("roc_auc");
            if (auc >= settings.minRocAuc()) {
                return new Decision(true, String.format(Locale.ROOT, "first champion: validation roc_auc %.4f >= "
                        + "cvm.models.min-roc-auc %.2f", auc, settings.minRocAuc()), champion, null);
            }
            return new Decision(false, String.format(Locale.ROOT, "no champion and validation roc_auc %.4f is below "
                    + "cvm.models.min-roc-auc %.2f", auc, settings.minRocAuc()), champion, null);
        }
        ModelVersion c = champion.get();
        List<String> missing = c.features().stream().filter(f -> !List.of(validationRows.columns()).contains(f))
                .toList();
        if (!missing.isEmpty()) {
            return new Decision(true, "champion v" + c.version() + " cannot score the current features (missing "
                    + missing + ")", champion, null);
        }
        double theirs = log.run("  " + name + ": re-score champion v" + c.version() + " on " + validationDate, () -> {
            FittedModel cm = FittedModel.load(c.artifactPath(), c.features(), c.family(), c.params());
            Dataset<Row> scored = cm.score(validationRows).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                return BinaryMetrics.metric(scored, ModelPipelines.LABEL, Calibration.CALIBRATED, metric);
            } finally {
                scored.unpersist();
            }
        });
        double gain = settings.higherIsBetter() ? mine - theirs : theirs - mine;
        String cmp = String.format(Locale.ROOT, "%s %.4f vs champion v%d %.4f on %s (margin %.4f)", metric, mine,
                c.version(), theirs, validationDate, settings.promotionMargin());
        // A tiny tolerance so that "equal to the margin" is not lost to floating point.
        if (gain >= settings.promotionMargin() - 1e-12) {
            return new Decision(true, "beats the champion: " + cmp, champion, theirs);
        }
        return new Decision(false, "kept as challenger, does not beat the champion by the margin: " + cmp, champion,
                theirs);
    }

    private String details(TimeSplit split, ModelFitter.Result fitted, BinaryMetrics.Evaluation eval,
                           Decision decision) {
        Map<String, Object> d = new LinkedHashMap<>();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("fit_as_of_dates", split.trainingDates().stream().map(LocalDate::toString).toList());
        s.put("holdout_as_of_date", String.valueOf(split.holdoutDate()));
        s.put("holdout_share", split.holdoutShare());
        s.put("validation_as_of_date", split.validationDate().toString());
        d.put("split", s);
        d.put("candidates", fitted.candidates());
        d.put("dropped_features", fitted.features().dropped());
        d.put("missing_indicators", fitted.features().missingIndicators());
        d.put("top_features", fitted.importances());
        d.put("reliability", eval.reliability());
        d.put("deciles", eval.deciles());
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("metric", settings.promotionMetric());
        gate.put("margin", settings.promotionMargin());
        decision.champion().ifPresent(c -> gate.put("champion_version", c.version()));
        if (decision.championScore() != null) {
            gate.put("champion_score", decision.championScore());
        }
        gate.put("promoted", decision.promote());
        gate.put("reason", decision.reason());
        d.put("promotion", gate);
        return json(d);
    }

    static LocalDate toLocalDate(Object o) {
        return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
    }

    static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
