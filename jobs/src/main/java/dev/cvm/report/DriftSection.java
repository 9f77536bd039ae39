package dev.cvm.report;

import dev.cvm.warehouse.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;

/**
 * The drift summary of the monitor stage (table {@code drift}: one row per monitored feature, with its PSI and a
 * status ok, warn or fail): counts per status, the features over a threshold, and the largest PSIs. Column names are
 * looked up defensively (feature/column/name, psi, status); other columns are shown as they are.
 */
final class DriftSection implements Section {
    private static final int TOP = 20;

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
            throw new Unavailable("table <code>drift</code> does not exist in this warehouse: the monitor stage has not "
                    + "run (it compares this run's features and scores with a reference and writes a PSI per feature).");
        }
        Dataset<Row> df = in.rows(Table.DRIFT, "monitor");
        String feature = ReportInput.firstColumn(df, "feature", "column", "name", "metric");
        String psi = ReportInput.firstColumn(df, "psi", "PSI", "value");
        String status = ReportInput.firstColumn(df, "status", "level");
        Column st = status == null ? lit("unknown") : lower(coalesce(col(status).cast("string"), lit("unknown")));

        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (Row r : df.groupBy(st.as("status")).agg(count(lit(1))).orderBy("status").collectAsList()) {
            byStatus.put(r.getString(0), r.getLong(1));
        }
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            throw in.noRows(Table.DRIFT, "monitor");
        }
        long warn = byStatus.getOrDefault("warn", 0L);
        long fail = byStatus.getOrDefault("fail", 0L);

        StringBuilder sb = new StringBuilder();
        sb.append(Html.tiles(List.of(
                new String[] {"features monitored", Html.count(total)},
                new String[] {"ok", Html.count(byStatus.getOrDefault("ok", 0L))},
                new String[] {"warn", Html.count(warn)},
                new String[] {"fail", Html.count(fail)})));

        // The drift table holds one row per feature (aggregates already): the largest few reach the driver.
        List<String> shown = Arrays.stream(df.schema().fields()).map(StructField::name).toList();
        List<String> cells = new ArrayList<>();
        if (feature != null && psi != null) {
            List<Row> top = df.select(col(feature).cast("string").as("f"), col(psi).cast("double").as("p"), st.as("s"))
                    .where(col("p").isNotNull()).orderBy(col("p").desc()).limit(TOP).collectAsList();
            List<String> labels = new ArrayList<>();
            double[] values = new double[top.size()];
            String[] colors = new String[top.size()];
            for (int i = 0; i < top.size(); i++) {
                Row r = top.get(i);
                labels.add(r.getString(0));
                values[i] = r.getDouble(1);
                colors[i] = switch (r.getString(2)) {
                    case "fail" -> Chart.FAIL;
                    case "warn" -> Chart.WARN;
                    case "ok" -> Chart.OK;
                    default -> Chart.MUTED;
                };
            }
            if (!top.isEmpty()) {
                cells.add(Html.figure(Chart.hbars("Largest population stability indexes", labels, values, colors,
                        v -> String.format(Locale.ROOT, "%.3f", v), 520), "The " + top.size()
                        + " largest PSIs, coloured by status (green ok, amber warn, red fail). Rule of thumb: below "
                        + "0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a major one."));
            }
        }
        StringBuilder flagged = new StringBuilder();
        if (warn + fail == 0) {
            flagged.append(Html.note("Every monitored feature is within its thresholds."));
        } else {
            Dataset<Row> over = df.where(st.isin("warn", "fail"));
            if (psi != null) {
                over = over.orderBy(col(psi).desc_nulls_last());
            }
            List<Row> rows = over.limit(100).collectAsList();
            List<String> headers = new ArrayList<>();
            for (String c : shown) {
                String h = c.replace('_', ' ');
                headers.add(c.equals(feature) || c.equals(status) ? h : "#" + h);
            }
            Html.Table t = new Html.Table(headers.toArray(new String[0]));
            for (Row r : rows) {
                List<String> cs = new ArrayList<>();
                for (String c : shown) {
                    int i = ReportInput.index(r, c);
                    Object v = i < 0 || r.isNullAt(i) ? null : r.get(i);
                    if (c.equals(status) && v != null) {
                        String s = v.toString().toLowerCase(Locale.ROOT);
                        cs.add(Html.badge(s, s.equals("fail") ? "fail" : s.equals("warn") ? "warn" : "ok"));
                    } else if (v instanceof Double || v instanceof Float) {
                        cs.add(Html.num(((Number) v).doubleValue()));
                    } else {
                        cs.add(v == null ? "–" : Html.esc(v));
                    }
                }
                t.row(cs.toArray(new String[0]));
            }
            flagged.append("<h3>Features over a threshold</h3>\n").append(t.html());
            if (warn + fail > rows.size()) {
                flagged.append(Html.note("Showing the " + rows.size() + " largest of " + (warn + fail) + "."));
            }
        }
        if (cells.isEmpty()) {
            sb.append(flagged);
        } else {
            cells.add("<div>" + flagged + "</div>");
            sb.append(Html.grid(cells));
        }
        return sb.toString();
    }
}
