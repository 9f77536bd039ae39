package dev.cvm.report;

import dev.cvm.warehouse.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/**
 * The drift summary of the monitor stage (table {@code drift}, {@code dev.cvm.monitor.MonitorStage.SCHEMA}): PSI rows
 * per (comparison, feature) with comparison training, previous_run or previous_run_scores and status ok, warn, fail or
 * no_data; and back-test rows (comparison backtest) with the realised AUC and calibration of earlier scores. The table
 * holds aggregates (one row per feature and comparison), so its largest rows may reach the driver.
 */
final class DriftSection implements Section {
    static final String BACKTEST = "backtest";
    private static final int TOP = 20;
    private static final int MAX_FLAGGED = 100;

    @Override
    public String id() {
        return "drift";
    }

    @Override
    public String title() {
        return "Drift";
    }

    @Override
    public String render(ReportInput in) {
        if (!in.warehouse().exists(Table.DRIFT)) {
            throw new Unavailable("table <code>drift</code> does not exist in this warehouse: run <code>cvm monitor "
                    + "--run-date " + in.runDate() + "</code> (PSI per feature and score against the training "
                    + "snapshots and the previous run).");
        }
        Dataset<Row> all = in.rows(Table.DRIFT, "monitor");
        Dataset<Row> psi = all.where(col("comparison").notEqual(BACKTEST));
        Dataset<Row> backtests = all.where(col("comparison").equalTo(BACKTEST));

        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (String s : List.of("ok", "warn", "fail", "no_data")) {
            byStatus.put(s, 0L);
        }
        for (Row r : psi.groupBy("status").agg(count(lit(1))).collectAsList()) {
            byStatus.put(r.getString(0), r.getLong(1));
        }
        long checks = byStatus.values().stream().mapToLong(Long::longValue).sum();
        List<Row> backtestRows = backtests.orderBy(col("baseline_date").desc()).limit(TOP).collectAsList();
        if (checks == 0 && backtestRows.isEmpty()) {
            throw in.noRows(Table.DRIFT, "monitor");
        }
        List<String> comparisons = psi.select("comparison").distinct().orderBy("comparison").collectAsList().stream()
                .map(r -> r.getString(0)).toList();

        StringBuilder sb = new StringBuilder();
        sb.append(Html.tiles(List.of(
                new String[] {"PSI checks", Html.count(checks)},
                new String[] {"ok", Html.count(byStatus.get("ok"))},
                new String[] {"warn", Html.count(byStatus.get("warn"))},
                new String[] {"fail", Html.count(byStatus.get("fail"))},
                new String[] {"back-tests", Html.count(backtestRows.size())})));
        if (checks == 0) {
            sb.append(Html.note("No PSI for this run: there were neither training snapshots nor a previous run to "
                    + "compare with."));
        } else {
            sb.append(Html.note("Compared with: " + Html.esc(String.join(", ", comparisons)) + " (training: the "
                    + "labelled snapshots of this run date; previous_run: the last earlier run's features; "
                    + "previous_run_scores: its churn probability, CLV and value at risk). Thresholds: "
                    + "<code>cvm.monitor.psi-warn</code> and <code>psi-fail</code>."));
        }
        List<String> cells = new ArrayList<>();
        if (checks > 0) {
            cells.add(largest(psi));
        }
        cells.add("<div>" + flagged(psi, byStatus.get("warn") + byStatus.get("fail")) + "</div>");
        sb.append(Html.grid(cells));
        sb.append(backtests(backtestRows));
        return sb.toString();
    }

    private static String largest(Dataset<Row> psi) {
        List<Row> top = psi.where(col("psi").isNotNull()).orderBy(col("psi").desc()).limit(TOP)
                .select("feature", "comparison", "psi", "status").collectAsList();
        List<String> labels = new ArrayList<>();
        double[] values = new double[top.size()];
        String[] colors = new String[top.size()];
        for (int i = 0; i < top.size(); i++) {
            Row r = top.get(i);
            labels.add(r.getString(0) + " · " + r.getString(1));
            values[i] = r.getDouble(2);
            colors[i] = switch (r.getString(3)) {
                case "fail" -> Chart.FAIL;
                case "warn" -> Chart.WARN;
                default -> Chart.OK;
            };
        }
        if (top.isEmpty()) {
            return Html.note("No PSI could be computed (no data in either population).");
        }
        return Html.figure(Chart.hbars("Largest population stability indexes", labels, values, colors,
                v -> String.format(Locale.ROOT, "%.3f", v), 520), "The " + top.size() + " largest PSIs (feature · "
                + "comparison), coloured by status (green ok, amber warn, red fail). Rule of thumb: below 0.1 stable, "
                + "0.1–0.25 a moderate shift, above 0.25 a major one.");
    }

    private static String flagged(Dataset<Row> psi, long over) {
        if (over == 0) {
            return Html.note("Every monitored feature and score is within its thresholds.");
        }
        Column flaggedRows = col("status").isin("warn", "fail");
        List<Row> rows = psi.where(flaggedRows).orderBy(col("psi").desc_nulls_last()).limit(MAX_FLAGGED)
                .select("feature", "comparison", "baseline_date", "psi", "status", "baseline_rows", "current_rows")
                .collectAsList();
        Html.Table t = Html.Table.compact("feature", "compared with", "baseline date", "#PSI", "status",
                "#baseline rows", "#current rows");
        for (Row r : rows) {
            t.row("<code>" + Html.esc(r.getString(0)) + "</code>", Html.esc(r.getString(1)), Html.esc(r.get(2)),
                    Html.fixed(ReportInput.dbl(r, "psi"), 3), Html.badge(r.getString(4), r.getString(4)),
                    rowCount(ReportInput.lng(r, "baseline_rows")), rowCount(ReportInput.lng(r, "current_rows")));
        }
        String out = "<h3>Features over a threshold</h3>\n" + t.html();
        return over > rows.size() ? out + Html.note("Showing the " + rows.size() + " largest of " + over + ".") : out;
    }

    /** Realised quality of earlier churn scores whose outcome window has ended. */
    private static String backtests(List<Row> rows) {
        if (rows.isEmpty()) {
            return Html.note("No back-test: no earlier scores have matured labels yet (a score is checked once "
                    + "<code>cvm.labels.horizon-days</code> have passed since it was written).");
        }
        Html.Table t = Html.Table.compact("scores of", "score", "#accounts", "#realised AUC", "#mean predicted",
                "#observed rate", "#ECE");
        for (Row r : rows) {
            t.row(Html.esc(r.getAs("baseline_date")), "<code>" + Html.esc(r.getAs("feature")) + "</code>",
                    rowCount(ReportInput.lng(r, "current_rows")), Html.fixed(ReportInput.dbl(r, "auc"), 3),
                    Html.pct(ReportInput.dbl(r, "mean_predicted")), Html.pct(ReportInput.dbl(r, "observed_rate")),
                    Html.fixed(ReportInput.dbl(r, "calibration_error"), 4));
        }
        return "<h3>Back-tests of matured predictions</h3>\n" + t.html();
    }

    private static String rowCount(Long n) {
        return n == null ? "–" : Html.count(n);
    }
}
