package dev.cvm.features;

import dev.cvm.CvmException;
import dev.cvm.pipeline.StepLog;
import dev.cvm.valuemap.AccountRelativeValue;
import dev.cvm.valuemap.ValueMapSettings;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static dev.cvm.features.AsOf.AS_OF;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code cvm features}: the account analytic record ({@code account_features}) for one or more as-of dates, and the
 * labels ({@code account_labels}) of those whose outcome window has matured by the run date. Point in time: a row for
 * as-of date A only sees events strictly before A. All as-of dates are computed in one pass over each source.
 */
public final class FeaturesStage {
    private final Warehouse warehouse;
    private final FeatureSettings settings;
    private final ValueMapSettings valueMap;
    private final StepLog log;

    public FeaturesStage(Warehouse warehouse, FeatureSettings settings, ValueMapSettings valueMap, StepLog log) {
        this.warehouse = warehouse;
        this.settings = settings;
        this.valueMap = valueMap;
        this.log = log;
    }

    public record Result(long featureRows, long labelRows, List<LocalDate> asOfDates, List<LocalDate> labelledDates) {}

    /** The as-of dates of `--training`: run date - horizon - k * step, the newest first, all matured. */
    public List<LocalDate> trainingAsOfDates(LocalDate runDate) {
        List<LocalDate> dates = new ArrayList<>();
        for (int k = 0; k < settings.trainingSnapshots(); k++) {
            dates.add(runDate.minusDays(settings.horizonDays() + (long) k * settings.trainingStepDays()));
        }
        return dates;
    }

    public Result run(LocalDate runDate, List<LocalDate> requested) {
        TreeSet<LocalDate> asOfDates = new TreeSet<>(requested);
        for (LocalDate d : asOfDates) {
            if (d.isAfter(runDate)) {
                throw new CvmException("as-of date " + d + " is after the run date " + runDate
                        + ": features can only use data known on the run date");
            }
        }
        List<LocalDate> matured = asOfDates.stream()
                .filter(d -> !d.plusDays(settings.horizonDays()).isAfter(runDate)).toList();

        var spark = warehouse.spark();
        Dataset<Row> accounts = warehouse.readRunDate(Table.ACCOUNTS, runDate, "ingest");
        Dataset<Row> asOf = AsOf.dates(spark, List.copyOf(asOfDates));
        Dataset<Row> daily = TransactionFeatures.daily(warehouse.readRunDate(Table.TRANSACTIONS, runDate, "ingest"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> holdings = warehouse.readRunDate(Table.HOLDINGS, runDate, "ingest");
        try {
            Dataset<Row> base = AccountBase.build(accounts, asOf, settings);
            Dataset<Row> features = assemble(base,
                    TransactionFeatures.build(daily, asOf, settings),
                    UsageFeatures.build(warehouse.readRunDate(Table.USAGE, runDate, "ingest"), asOf),
                    HoldingFeatures.build(holdings, asOf, settings),
                    SupportFeatures.build(warehouse.readRunDate(Table.SUPPORT_EVENTS, runDate, "ingest"), asOf, settings),
                    CampaignFeatures.build(warehouse.readRunDate(Table.CAMPAIGN_CONTACTS, runDate, "ingest"), asOf, settings),
                    SurveyFeatures.build(warehouse.readRunDate(Table.SURVEYS, runDate, "ingest"), asOf),
                    relativeValue(runDate, asOfDates));
            long featureRows = log.step("write account_features (" + asOfDates.size() + " as-of)", () ->
                    warehouse.replacePartitions(Table.ACCOUNT_FEATURES, features, runDate, AS_OF, asOfDates));
            long labelRows = 0;
            if (!matured.isEmpty()) {
                Dataset<Row> labels = Labels.build(base, accounts, daily, holdings, AsOf.dates(spark, matured), settings);
                labelRows = log.step("write account_labels (" + matured.size() + " as-of)", () ->
                        warehouse.replacePartitions(Table.ACCOUNT_LABELS, labels, runDate, AS_OF, matured));
            }
            return new Result(featureRows, labelRows, List.copyOf(asOfDates), matured);
        } finally {
            daily.unpersist();
        }
    }

    /**
     * Labels of {@code asOfDates} computed from the run date's data without writing them: what the monitor uses to
     * back-test the predictions made on an earlier run date once their outcome window has ended.
     */
    public Dataset<Row> labelsFor(LocalDate runDate, List<LocalDate> asOfDates) {
        Dataset<Row> accounts = warehouse.readRunDate(Table.ACCOUNTS, runDate, "ingest");
        Dataset<Row> asOf = AsOf.dates(warehouse.spark(), asOfDates);
        Dataset<Row> daily = TransactionFeatures.daily(warehouse.readRunDate(Table.TRANSACTIONS, runDate, "ingest"));
        return Labels.build(AccountBase.build(accounts, asOf, settings), accounts, daily,
                warehouse.readRunDate(Table.HOLDINGS, runDate, "ingest"), asOf, settings);
    }

    private Dataset<Row> assemble(Dataset<Row> base, Dataset<Row> txn, Dataset<Row> usage, Dataset<Row> holdings,
                                  Dataset<Row> support, Dataset<Row> campaigns, Dataset<Row> surveys,
                                  Dataset<Row> relativeValue) {
        String[] keys = {"account_id", AS_OF};
        Dataset<Row> df = base;
        for (Dataset<Row> part : List.of(txn, usage, holdings, support, campaigns, surveys, relativeValue)) {
            df = df.join(part, keys, "left");
        }
        // Counts of events that did not happen are 0; rates, recencies and levels stay null (no evidence).
        List<Column> cols = new ArrayList<>();
        for (String c : df.columns()) {
            cols.add(zeroWhenAbsent(c) ? coalesce(col(c), lit(c.startsWith("holds_") ? (Object) false : (Object) 0))
                    .cast(df.schema().apply(c).dataType()).as(c) : col(c));
        }
        List<String> catalog = FeatureCatalog.entries(settings).stream().map(FeatureCatalog.Entry::name).toList();
        List<Column> ordered = new ArrayList<>(List.of(col("account_id"), col(AS_OF)));
        Dataset<Row> filled = df.select(cols.toArray(new Column[0]));
        catalog.forEach(n -> ordered.add(filled.col(n)));
        return filled.select(ordered.toArray(new Column[0]));
    }

    /**
     * Each surveyed account's own relative value (Gale's ratio against the competitor, parity 1.0) from its latest
     * rated response before each as-of date, with importance weights fitted on the responses before that date.
     * Surveys are small, so one fit per as-of date is cheap.
     */
    private Dataset<Row> relativeValue(LocalDate runDate, TreeSet<LocalDate> asOfDates) {
        Dataset<Row> surveys = warehouse.readRunDate(Table.SURVEYS, runDate, "ingest");
        Dataset<Row> ratings = warehouse.readRunDate(Table.SURVEY_RATINGS, runDate, "ingest");
        Dataset<Row> all = null;
        for (LocalDate d : asOfDates) {
            Dataset<Row> one = AccountRelativeValue.latestBefore(surveys, ratings, d, valueMap)
                    .select(col("account_id"), lit(d).as(AS_OF), col("relative_value"));
            all = all == null ? one : all.unionByName(one);
        }
        return all;
    }

    private static boolean zeroWhenAbsent(String c) {
        return c.matches("txn_(count|amount)_.*|spend_trend_90d|txn_trend_90d|products_held|holds_.*|complaints_\\d+d"
                + "|support_contacts_\\d+d|contacts_.*");
    }
}
