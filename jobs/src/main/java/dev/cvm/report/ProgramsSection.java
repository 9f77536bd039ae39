package dev.cvm.report;

import dev.cvm.programs.ProgramSettings;
import dev.cvm.warehouse.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Program sizes, targets, budget, spend and expected ROI (from {@code customer_scores} and {@code campaign_targets},
 * budgets from {@code cvm.programs.rules}), the channel mix, and the size of every segment of every scheme
 * ({@code segment_summary}).
 */
final class ProgramsSection implements Section {
    private static final int MAX_SEGMENTS_SHOWN = 25;

    @Override
    public String id() {
        return "programs";
    }

    @Override
    public String title() {
        return "Segments, programs and budget";
    }

    record Program(String name, long accounts, long targeted, double budget, double spend, double netValue) {
        double roi() {
            return spend == 0 ? Double.NaN : netValue / spend;
        }
    }

    @Override
    public String render(ReportInput in) {
        Dataset<Row> scores = in.rows(Table.CUSTOMER_SCORES, "segment");
        Column program = coalesce(col("program").cast("string"), lit("(none)"));
        Column targeted = ReportInput.has(scores, "targeted")
                ? when(col("targeted"), lit(1L)).otherwise(lit(0L)) : lit(0L);
        Map<String, long[]> sizes = new TreeMap<>();
        for (Row r : scores.groupBy(program.as("program")).agg(count(lit(1)), sum(targeted)).limit(200).collectAsList()) {
            sizes.put(r.getString(0), new long[] {r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2)});
        }
        if (sizes.isEmpty()) {
            throw in.noRows(Table.CUSTOMER_SCORES, "segment");
        }
        Map<String, double[]> spend = new TreeMap<>();
        Map<String, Map<String, Long>> channels = new TreeMap<>();
        boolean hasTargets = in.warehouse().exists(Table.CAMPAIGN_TARGETS);
        if (hasTargets) {
            Dataset<Row> targets = in.rows(Table.CAMPAIGN_TARGETS, "segment");
            for (Row r : targets.groupBy(program.as("program"))
                    .agg(sum(col("cost")), sum(col("expected_value"))).limit(200).collectAsList()) {
                spend.put(r.getString(0), new double[] {r.isNullAt(1) ? 0 : r.getDouble(1),
                        r.isNullAt(2) ? 0 : r.getDouble(2)});
            }
            if (ReportInput.has(targets, "channel")) {
                for (Row r : targets.groupBy(program.as("program"), coalesce(col("channel"), lit("(none)")))
                        .agg(count(lit(1))).limit(1000).collectAsList()) {
                    channels.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
                }
            }
        }
        Map<String, Double> budgets = new LinkedHashMap<>();
        if (in.config() != null) {
            for (ProgramSettings.Rule rule : in.config().programs().rules()) {
                budgets.merge(rule.program(), rule.budget(), Double::sum);
            }
        }
        List<Program> programs = new ArrayList<>();
        for (Map.Entry<String, long[]> e : sizes.entrySet()) {
            double[] sv = spend.getOrDefault(e.getKey(), new double[] {0, 0});
            programs.add(new Program(e.getKey(), e.getValue()[0], e.getValue()[1],
                    budgets.getOrDefault(e.getKey(), Double.NaN), sv[0], sv[1]));
        }

        StringBuilder sb = new StringBuilder();
        long accounts = programs.stream().mapToLong(Program::accounts).sum();
        long targetedTotal = programs.stream().mapToLong(Program::targeted).sum();
        double spendTotal = programs.stream().mapToDouble(Program::spend).sum();
        double valueTotal = programs.stream().mapToDouble(Program::netValue).sum();
        double budgetTotal = programs.stream().mapToDouble(Program::budget).filter(Chart::finite).sum();
        sb.append(Html.tiles(List.of(
                new String[] {"accounts scored", Html.count(accounts)},
                new String[] {"accounts targeted", Html.count(targetedTotal)},
                new String[] {"spend / budget", Html.compact(spendTotal) + " / " + Html.compact(budgetTotal)},
                new String[] {"expected net value", Html.compact(valueTotal)},
                new String[] {"expected ROI", spendTotal == 0 ? "–" : Html.pct(valueTotal / spendTotal)})));

        List<Program> funded = programs.stream().filter(p -> Chart.finite(p.budget()) || p.spend() > 0).toList();
        List<String> charts = new ArrayList<>();
        if (funded.isEmpty()) {
            charts.add(Html.note("No program has a budget or a spend."));
        } else {
            List<String> names = funded.stream().map(Program::name).toList();
            double[][] money = new double[2][funded.size()];
            double[][] roi = new double[1][funded.size()];
            double top = 0;
            double roiLo = 0;
            double roiHi = 0;
            for (int i = 0; i < funded.size(); i++) {
                Program p = funded.get(i);
                money[0][i] = p.budget();
                money[1][i] = p.spend();
                roi[0][i] = p.roi();
                top = Math.max(top, Math.max(Chart.finite(p.budget()) ? p.budget() : 0, p.spend()));
                if (Chart.finite(p.roi())) {
                    roiLo = Math.min(roiLo, p.roi());
                    roiHi = Math.max(roiHi, p.roi());
                }
            }
            charts.add(Html.figure(new Chart(540, 290, "Budget and spend per program")
                    .xBands(names, "program").yLinear(0, Math.max(1, top), "amount")
                    .bars(List.of("budget", "spend"), money, new String[] {Chart.MUTED, Chart.PALETTE[0]})
                    .render(), "Spend is the contact cost of the targeted accounts; it never exceeds the budget."));
            charts.add(Html.figure(new Chart(540, 290, "Expected ROI per program")
                    .xBands(names, "program").yLinear(roiLo, Math.max(0.1, roiHi), "expected ROI")
                    .yFormat(v -> Html.compact(100 * v) + "%")
                    .bars(List.of("expected ROI"), roi, new String[] {Chart.PALETTE[2]})
                    .render(), "Expected net value (expected value of the responses minus the contact cost) over "
                    + "spend."));
        }
        Html.Table t = new Html.Table("program", "#accounts", "#targeted", "#budget", "#spend", "#used",
                "#exp. net value", "#exp. ROI");
        for (Program p : programs) {
            double used = Chart.finite(p.budget()) && p.budget() > 0 ? p.spend() / p.budget() : Double.NaN;
            t.row("<strong>" + Html.esc(p.name()) + "</strong>", Html.count(p.accounts()), Html.count(p.targeted()),
                    Html.num(p.budget()), Html.num(p.spend()),
                    (Chart.finite(used) ? Html.inlineBar(used, Chart.PALETTE[0]) : "") + Html.pct(used),
                    Html.num(p.netValue()), Html.pct(p.roi()));
        }
        sb.append(Html.grid(charts)).append(t.html())
                .append(Html.note("Expected ROI = expected net value / spend. Accounts in a program but not targeted "
                        + "were outside the budget, blocked (suppression list, contact cool-down) or had no positive "
                        + "expected net value."));
        if (!hasTargets) {
            sb.append(Html.note("Table <code>campaign_targets</code> does not exist: no spend or expected value."));
        }
        if (!channels.isEmpty()) {
            sb.append("<h3>Channel mix of the targets</h3>\n").append(channelTable(channels));
        }
        sb.append("<h3>Segment sizes</h3>\n").append(segments(in));
        return sb.toString();
    }

    private static String channelTable(Map<String, Map<String, Long>> channels) {
        TreeSet<String> all = new TreeSet<>();
        channels.values().forEach(m -> all.addAll(m.keySet()));
        List<String> headers = new ArrayList<>(List.of("program"));
        all.forEach(c -> headers.add("#" + c));
        headers.add("#targets");
        Html.Table t = new Html.Table(headers.toArray(new String[0]));
        for (Map.Entry<String, Map<String, Long>> e : channels.entrySet()) {
            List<String> cells = new ArrayList<>(List.of("<strong>" + Html.esc(e.getKey()) + "</strong>"));
            long total = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            for (String c : all) {
                Long n = e.getValue().get(c);
                cells.add(n == null ? "–" : Html.count(n));
            }
            cells.add(Html.count(total));
            t.row(cells.toArray(new String[0]));
        }
        return t.html();
    }

    /**
     * One small table per segmentation scheme (value tiers are in the CLV section, programs above); schemes with a
     * profile per segment (the micro-segments) get the full width.
     */
    private static String segments(ReportInput in) {
        if (!in.warehouse().exists(Table.SEGMENT_SUMMARY)) {
            return Html.note("Table <code>segment_summary</code> does not exist.");
        }
        Dataset<Row> summary = in.rows(Table.SEGMENT_SUMMARY, "segment");
        List<Row> rows = summary.where(not(col("scheme").isin("value_tier", "program")))
                .orderBy(col("scheme"), col("accounts").desc()).limit(2000).collectAsList();
        if (rows.isEmpty()) {
            return Html.note("<code>segment_summary</code> has no rows for " + in.runDate() + ".");
        }
        Map<String, List<Row>> byScheme = new LinkedHashMap<>();
        for (Row r : rows) {
            byScheme.computeIfAbsent(ReportInput.str(r, "scheme"), k -> new ArrayList<>()).add(r);
        }
        List<String> cells = new ArrayList<>();
        StringBuilder wide = new StringBuilder();
        for (Map.Entry<String, List<Row>> e : byScheme.entrySet()) {
            long total = e.getValue().stream().mapToLong(r -> {
                Long a = ReportInput.lng(r, "accounts");
                return a == null ? 0 : a;
            }).sum();
            boolean profiles = e.getValue().stream().anyMatch(r -> ReportInput.str(r, "profile") != null);
            Html.Table t = profiles
                    ? Html.Table.compact("segment", "#accounts", "#share of CLV", "profile")
                    : Html.Table.compact("segment", "#accounts", "#share of CLV");
            int shown = 0;
            for (Row r : e.getValue()) {
                if (shown++ == MAX_SEGMENTS_SHOWN) {
                    break;
                }
                Long a = ReportInput.lng(r, "accounts");
                String size = Html.inlineBar(a == null || total == 0 ? 0 : (double) a / total, Chart.PALETTE[0])
                        + (a == null ? "–" : Html.count(a));
                String seg = Html.esc(ReportInput.str(r, "segment"));
                String share = Html.pct(ReportInput.dbl(r, "share_of_clv"));
                if (profiles) {
                    String p = ReportInput.str(r, "profile");
                    t.row(seg, size, share, "<span class=\"sub\">" + Html.esc(p == null ? "" : p) + "</span>");
                } else {
                    t.row(seg, size, share);
                }
            }
            String more = e.getValue().size() > MAX_SEGMENTS_SHOWN
                    ? Html.note((e.getValue().size() - MAX_SEGMENTS_SHOWN) + " smaller segments not shown.") : "";
            String block = "<div class=\"scheme\"><h4>" + Html.esc(schemeName(e.getKey())) + "</h4>" + t.html() + more
                    + "</div>";
            if (profiles) {
                wide.append(block);
            } else {
                cells.add(block);
            }
        }
        return (cells.isEmpty() ? "" : Html.grid(cells)) + wide;
    }

    private static String schemeName(String scheme) {
        return switch (scheme) {
            case "rfm_segment" -> "RFM segments";
            case "micro_segment" -> "Micro-segments (k-means)";
            case "program" -> "Programs";
            default -> scheme.startsWith("custom_") ? "Custom: " + scheme.substring("custom_".length()) : scheme;
        };
    }
}
