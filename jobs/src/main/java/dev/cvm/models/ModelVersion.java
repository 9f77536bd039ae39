package dev.cvm.models;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code model_registry}: a trained model version, where its artifacts are, what it was trained and
 * validated on, its validation metrics, and its status.
 *
 * @param status             champion (the one {@code cvm score} uses), challenger (trained, not promoted) or retired
 * @param target             the label column (churned, adopted_tv, ...)
 * @param features           the input columns of account_features the pipeline reads
 * @param metrics            validation metrics (roc_auc, pr_auc, brier, ece, lift_top_decile, ...)
 * @param details            JSON: split, candidates tried, reliability table, deciles, top features, champion comparison
 * @param promotionReason    why it has its status (gate outcome, manual promotion, rollback)
 * @param promotedAt         when it last became champion (null if never)
 * @param replacedVersion    the champion it replaced when it became champion; what {@code models rollback} restores
 */
public record ModelVersion(String name, int version, String status, Instant trainedAt, LocalDate runDate,
                           String target, String family, List<LocalDate> trainingAsOfDates, LocalDate holdoutAsOfDate,
                           LocalDate validationAsOfDate, List<String> features, Map<String, String> params,
                           Map<String, Double> metrics, String details, String artifactPath, String promotionReason,
                           Instant promotedAt, Integer replacedVersion, Instant statusChangedAt) {

    public static final String CHAMPION = "champion";
    public static final String CHALLENGER = "challenger";
    public static final String RETIRED = "retired";

    public static final StructType SCHEMA = DataTypes.createStructType(List.of(
            field("name", DataTypes.StringType, false),
            field("version", DataTypes.IntegerType, false),
            field("status", DataTypes.StringType, false),
            field("trained_at", DataTypes.TimestampType, false),
            field("run_date", DataTypes.DateType, false),
            field("target", DataTypes.StringType, false),
            field("family", DataTypes.StringType, false),
            field("training_as_of_dates", DataTypes.createArrayType(DataTypes.DateType, false), false),
            field("holdout_as_of_date", DataTypes.DateType, true),
            field("validation_as_of_date", DataTypes.DateType, false),
            field("features", DataTypes.createArrayType(DataTypes.StringType, false), false),
            field("params", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false),
            field("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false),
            field("details", DataTypes.StringType, true),
            field("artifact_path", DataTypes.StringType, false),
            field("promotion_reason", DataTypes.StringType, true),
            field("promoted_at", DataTypes.TimestampType, true),
            field("replaced_version", DataTypes.IntegerType, true),
            field("status_changed_at", DataTypes.TimestampType, false)));

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    public Row toRow() {
        return RowFactory.create(name, version, status, trainedAt, runDate, target, family, trainingAsOfDates,
                holdoutAsOfDate, validationAsOfDate, features, params, metrics, details, artifactPath, promotionReason,
                promotedAt, replacedVersion, statusChangedAt);
    }

    public static ModelVersion fromRow(Row r) {
        Map<String, String> params = new LinkedHashMap<>(r.<String, String>getJavaMap(r.fieldIndex("params")));
        Map<String, Double> metrics = new LinkedHashMap<>(r.<String, Double>getJavaMap(r.fieldIndex("metrics")));
        List<LocalDate> dates = r.getList(r.fieldIndex("training_as_of_dates")).stream()
                .map(ModelVersion::date).sorted().toList();
        return new ModelVersion(r.getAs("name"), r.<Integer>getAs("version"), r.getAs("status"),
                instant(r.getAs("trained_at")), date(r.getAs("run_date")), r.getAs("target"), r.getAs("family"), dates,
                date(r.getAs("holdout_as_of_date")), date(r.getAs("validation_as_of_date")),
                List.copyOf(r.<String>getList(r.fieldIndex("features"))), params, metrics, r.getAs("details"),
                r.getAs("artifact_path"), r.getAs("promotion_reason"), instant(r.getAs("promoted_at")),
                r.getAs("replaced_version"), instant(r.getAs("status_changed_at")));
    }

    public ModelVersion withStatus(String newStatus, String reason, Instant at) {
        return new ModelVersion(name, version, newStatus, trainedAt, runDate, target, family, trainingAsOfDates,
                holdoutAsOfDate, validationAsOfDate, features, params, metrics, details, artifactPath, reason,
                promotedAt, replacedVersion, at);
    }

    /** This version as the new champion, replacing {@code replaced} (null when there was none). */
    public ModelVersion asChampion(String reason, Instant at, Integer replaced) {
        return new ModelVersion(name, version, CHAMPION, trainedAt, runDate, target, family, trainingAsOfDates,
                holdoutAsOfDate, validationAsOfDate, features, params, metrics, details, artifactPath, reason, at,
                replaced, at);
    }

    /** A champion restored by a rollback keeps the champion it had replaced, so rollbacks walk back in order. */
    public ModelVersion restored(String reason, Instant at) {
        return new ModelVersion(name, version, CHAMPION, trainedAt, runDate, target, family, trainingAsOfDates,
                holdoutAsOfDate, validationAsOfDate, features, params, metrics, details, artifactPath, reason, at,
                replacedVersion, at);
    }

    public double metric(String m) {
        Double v = metrics.get(m);
        return v == null ? Double.NaN : v;
    }

    private static LocalDate date(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof java.sql.Timestamp t ? t.toInstant() : (Instant) o;
    }
}
