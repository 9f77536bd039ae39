package dev.cvm.ingest;

import dev.cvm.config.VolumeCheckSettings;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

/**
 * Compares each dataset's valid rows on the run date with the previous ingested run date, to catch a feed that
 * suddenly delivers far more (a duplicated or wrong extract) or far less (a truncated one) than the night before.
 * Only counts reach the driver: the previous date and each table's count on it are Spark aggregates.
 */
final class VolumeCheck {
    /** One dataset whose volume moved beyond the thresholds. */
    record Anomaly(String dataset, LocalDate previousDate, long previous, LocalDate runDate, long current,
                   String reason) {
        String describe() {
            return String.format(Locale.ROOT, "%s: %,d rows on %s against %,d rows on %s (%s)",
                    dataset, current, runDate, previous, previousDate, reason);
        }
    }

    private VolumeCheck() {}

    /**
     * The previous ingested run date: the latest earlier run_date of {@code accounts}, which every successful ingest
     * writes with at least one row (an empty optional table has no partition to look at).
     */
    static Optional<LocalDate> previousRunDate(Warehouse warehouse, LocalDate runDate) {
        if (!warehouse.exists(Table.ACCOUNTS)) {
            return Optional.empty();
        }
        Row r = warehouse.read(Table.ACCOUNTS).where(col(Table.RUN_DATE).lt(lit(runDate)))
                .agg(max(col(Table.RUN_DATE))).first();
        return r.isNullAt(0) ? Optional.empty() : Optional.of(r.<LocalDate>getAs(0));
    }

    /** Rows of one dataset's table on {@code date}; 0 when the table or the date is absent. */
    static long countOn(Warehouse warehouse, DatasetSpec spec, LocalDate date) {
        if (!warehouse.exists(spec.table())) {
            return 0;
        }
        return warehouse.read(spec.table()).where(col(Table.RUN_DATE).equalTo(lit(date))).count();
    }

    /** The verdict for one dataset, or empty when its counts are within the thresholds or too small to judge. */
    static Optional<Anomaly> judge(String dataset, LocalDate previousDate, long previous, LocalDate runDate,
                                   long current, VolumeCheckSettings s) {
        if (Math.max(previous, current) < s.minRows() || previous == 0) {
            return Optional.empty();
        }
        if (current > s.maxGrowth() * previous) {
            return Optional.of(new Anomaly(dataset, previousDate, previous, runDate, current, String.format(
                    Locale.ROOT, "%.1fx, above cvm.ingest.volume-check.max-growth = %s",
                    (double) current / previous, trim(s.maxGrowth()))));
        }
        if (current < s.minShare() * previous) {
            return Optional.of(new Anomaly(dataset, previousDate, previous, runDate, current, String.format(
                    Locale.ROOT, "%.1f%% of the previous count, below cvm.ingest.volume-check.min-share = %s",
                    100.0 * current / previous, trim(s.minShare()))));
        }
        return Optional.empty();
    }

    /** Every anomaly among {@code outcomes} against the previous ingested run date (none when there is none). */
    static List<Anomaly> check(Warehouse warehouse, LocalDate runDate, List<DatasetSpec> specs,
                               List<DatasetOutcome> outcomes, VolumeCheckSettings s) {
        List<Anomaly> anomalies = new ArrayList<>();
        if (s.action() == VolumeCheckSettings.Action.OFF) {
            return anomalies;
        }
        Optional<LocalDate> previous = previousRunDate(warehouse, runDate);
        if (previous.isEmpty()) {
            return anomalies;
        }
        for (int i = 0; i < specs.size(); i++) {
            DatasetOutcome o = outcomes.get(i);
            long before = countOn(warehouse, specs.get(i), previous.get());
            judge(o.dataset(), previous.get(), before, runDate, o.valid(), s).ifPresent(anomalies::add);
        }
        return anomalies;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
