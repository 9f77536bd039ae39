package dev.cvm.report;

import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.warehouse.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/** Rows of each ingested table for the run date, and the quarantined rows per dataset and rule. */
final class InputsSection implements Section {
    @Override
    public String id() {
        return "inputs";
    }

    @Override
    public String title() {
        return "Input volumes and quarantine";
    }

    @Override
    public String render(ReportInput in) {
        // One Spark job counts every ingested table of the run date.
        Dataset<Row> counts = null;
        List<String> present = new ArrayList<>();
        for (DatasetSpec spec : InputContract.ALL) {
            if (in.warehouse().exists(spec.table())) {
                present.add(spec.name());
                Dataset<Row> c = in.warehouse().read(spec.table())
                        .where(col(Table.RUN_DATE).equalTo(lit(in.runDate())))
                        .agg(count(lit(1)).as("rows")).select(lit(spec.name()).as("dataset"), col("rows"));
                counts = counts == null ? c : counts.unionByName(c);
            }
        }
        Map<String, Long> kept = new LinkedHashMap<>();
        if (counts != null) {
            Map<String, Long> byName = new LinkedHashMap<>();
            // bounded: one row per input dataset.
            counts.collectAsList().forEach(r -> byName.put(r.getString(0), r.getLong(1)));
            present.forEach(n -> kept.put(n, byName.getOrDefault(n, 0L)));
        }
        if (kept.isEmpty()) {
            throw new Unavailable("no ingested table exists in this warehouse: run <code>cvm ingest --run-date "
                    + in.runDate() + "</code> first.");
        }
        List<Row> rules = List.of();
        boolean quarantineTable = in.warehouse().exists(Table.QUARANTINE);
        if (quarantineTable) {
            rules = in.rows(Table.QUARANTINE, "ingest")
                    .groupBy(col("dataset"), col("rule"), coalesce(col("column"), lit("")).as("column"))
                    .agg(count(lit(1)).as("rows"))
                    .orderBy(col("dataset"), col("rows").desc(), col("rule"))
                    .limit(500)
                    .collectAsList();
        }
        Map<String, Long> quarantined = new LinkedHashMap<>();
        for (Row r : rules) {
            quarantined.merge(r.getString(0), r.getLong(3), Long::sum);
        }
        long totalKept = kept.values().stream().mapToLong(Long::longValue).sum();
        long totalQ = quarantined.values().stream().mapToLong(Long::longValue).sum();
        if (totalKept == 0 && totalQ == 0) {
            throw new Unavailable("the ingested tables hold no rows for " + in.runDate() + ": run <code>cvm ingest "
                    + "--run-date " + in.runDate() + "</code>.");
        }

        StringBuilder sb = new StringBuilder();
        sb.append(Html.tiles(List.of(
                new String[] {"rows ingested", Html.count(totalKept)},
                new String[] {"rows quarantined", Html.count(totalQ)},
                new String[] {"quarantined share", Html.pct(totalKept + totalQ == 0 ? null
                        : (double) totalQ / (totalKept + totalQ))},
                new String[] {"datasets", String.valueOf(kept.size())})));

        List<String> labels = new ArrayList<>(kept.keySet());
        double[] values = kept.values().stream().mapToDouble(Long::doubleValue).toArray();
        String chart = Chart.hbars("Rows ingested per dataset", labels, values, new String[] {Chart.PALETTE[0]},
                v -> Html.count((long) v), 560);

        Html.Table t = new Html.Table("dataset", "#rows kept", "#quarantined", "#quarantined share");
        for (Map.Entry<String, Long> e : kept.entrySet()) {
            long q = quarantined.getOrDefault(e.getKey(), 0L);
            long all = e.getValue() + q;
            Double share = all == 0 ? null : (double) q / all;
            t.row("<code>" + Html.esc(e.getKey()) + "</code>", Html.count(e.getValue()), Html.count(q),
                    (q > 0 ? Html.inlineBar(share == null ? 0 : Math.min(1, share * 10), Chart.FAIL) : "")
                            + Html.pct(share));
        }
        sb.append(Html.grid(List.of(
                "<div>" + Html.figure(chart, "Valid rows written per dataset for the run date.") + "</div>",
                "<div>" + t.html() + "</div>")));

        sb.append("<h3>Quarantine by rule</h3>\n");
        if (!quarantineTable) {
            sb.append(Html.note("Table <code>quarantine</code> does not exist: ingest has not run in this warehouse."));
        } else if (rules.isEmpty()) {
            sb.append(Html.note("No row was quarantined: every input row met the data contract."));
        } else {
            Html.Table qt = new Html.Table("dataset", "rule", "column", "#rows");
            for (Row r : rules) {
                qt.row("<code>" + Html.esc(r.getString(0)) + "</code>", Html.esc(r.getString(1)),
                        r.getString(2).isEmpty() ? "–" : "<code>" + Html.esc(r.getString(2)) + "</code>",
                        Html.count(r.getLong(3)));
            }
            sb.append(qt.html());
            sb.append(Html.note("The rows themselves are in <code>quarantine</code> (column <code>raw_row</code>); "
                    + "the rules are those of <code>docs/data-contract.md</code>. The share bar is scaled so that "
                    + "10% fills it."));
        }
        return sb.toString();
    }
}
