package dev.cvm.report;

import dev.cvm.warehouse.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The distribution of customer lifetime value ({@code customer_clv.total_clv}: a histogram and its quantiles, computed in
 * Spark) and the share of value by value tier ({@code segment_summary}, scheme value_tier).
 */
final class ClvSection implements Section {
    static final int BINS = 40;

    @Override
    public String id() {
        return "clv";
    }

    @Override
    public String title() {
        return "Customer lifetime value";
    }

    @Override
    public String render(ReportInput in) {
        boolean hasClv = in.warehouse().exists(Table.CUSTOMER_CLV);
        boolean hasSummary = in.warehouse().exists(Table.SEGMENT_SUMMARY);
        if (!hasClv && !hasSummary) {
            throw new Unavailable("neither <code>customer_clv</code> nor <code>segment_summary</code> exists in this "
                    + "warehouse: run <code>cvm clv</code> and <code>cvm segment</code> for " + in.runDate() + ".");
        }
        StringBuilder sb = new StringBuilder();
        sb.append(hasClv ? distribution(in) : Html.note("Table <code>customer_clv</code> does not exist: no CLV "
                + "distribution (run <code>cvm clv --run-date " + in.runDate() + "</code>)."));
        sb.append("<h3>Share of value by tier</h3>\n");
        sb.append(hasSummary ? tiers(in) : Html.note("Table <code>segment_summary</code> does not exist: no value "
                + "tiers (run <code>cvm segment --run-date " + in.runDate() + "</code>)."));
        return sb.toString();
    }

    private static String distribution(ReportInput in) {
        Dataset<Row> df = in.rows(Table.CUSTOMER_CLV, "clv");
        // The CLV stage's total per account (dev.cvm.clv.ClvStage): transactional + subscription CLV.
        String c = "total_clv";
        Column v = col(c).cast("double");
        Row s = df.agg(count(lit(1)), count(v), sum(v), avg(v), min(v), max(v)).first();
        long rows = s.getLong(0);
        long valued = s.getLong(1);
        if (rows == 0) {
            return Html.note("Table <code>customer_clv</code> has no rows for " + in.runDate() + ".");
        }
        if (valued == 0) {
            return Html.note("Every <code>" + c + "</code> of <code>customer_clv</code> is null for " + in.runDate() + ".");
        }
        double total = s.getDouble(2);
        double mean = s.getDouble(3);
        double lo = Math.min(0, s.getDouble(4));
        double maxV = s.getDouble(5);
        double[] q = df.stat().approxQuantile(c, new double[] {0.5, 0.9, 0.99}, 0.001);
        double median = q.length == 3 ? q[0] : Double.NaN;
        double p90 = q.length == 3 ? q[1] : Double.NaN;
        double p99 = q.length == 3 ? q[2] : maxV;
        double hi = p99 > lo ? p99 : maxV;
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double width = (hi - lo) / BINS;
        // One pass: the histogram bins, an overflow bin (BINS) above the 99th percentile, and the value at or above
        // the 90th percentile (for the top-10% share).
        double[] counts = new double[BINS];
        long above = 0;
        double aboveValue = 0;
        double top10 = 0;
        Column bin = when(v.gt(hi), lit(BINS)).otherwise(least(floor(v.minus(lo).divide(width)), lit(BINS - 1)))
                .cast("int");
        for (Row r : df.where(v.isNotNull()).groupBy(bin.as("bin"))
                .agg(count(lit(1)), sum(v), sum(when(v.geq(p90), v))).collectAsList()) {
            int k = Math.max(0, Math.min(BINS, r.getInt(0)));
            top10 += r.isNullAt(3) ? 0 : r.getDouble(3);
            if (k == BINS) {
                above += r.getLong(1);
                aboveValue += r.isNullAt(2) ? 0 : r.getDouble(2);
            } else {
                counts[k] += r.getLong(1);
            }
        }
        double maxCount = 0;
        for (double k : counts) {
            maxCount = Math.max(maxCount, k);
        }
        Chart chart = new Chart(500, 300, "Histogram of customer lifetime value")
                .xLinear(lo, hi, "CLV per account (" + c + ")").yLinear(0, maxCount, "accounts");
        for (int b = 0; b < BINS; b++) {
            double a = lo + b * width;
            if (counts[b] > 0) {
                chart.rect(a, a + width, 0, counts[b], Chart.PALETTE[0], String.format(Locale.ROOT,
                        "%s to %s: %,d accounts", Html.compact(a), Html.compact(a + width), (long) counts[b]));
            }
        }
        if (Chart.finite(median) && median <= hi) {
            chart.refLine(median, 0, median, maxCount, "median");
        }
        String caption = String.format(Locale.ROOT, "%d equal-width bins up to the 99th percentile (%s). "
                        + "%s accounts above it are not drawn; they hold %s of the total value.", BINS,
                Html.esc(Html.compact(hi)), Html.count(above), Html.pct(total == 0 ? null : aboveValue / total));

        List<String[]> tiles = new ArrayList<>();
        tiles.add(new String[] {"accounts valued", Html.count(valued)});
        tiles.add(new String[] {"total CLV", Html.compact(total)});
        tiles.add(new String[] {"mean CLV", Html.num(mean)});
        tiles.add(new String[] {"median CLV", Html.num(median)});
        tiles.add(new String[] {"top 10% of accounts hold", Html.pct(total == 0 ? null : top10 / total)});
        StringBuilder sb = new StringBuilder(Html.tiles(tiles));
        Html.Table t = new Html.Table("statistic", "#value");
        t.row("accounts (rows)", Html.count(rows));
        t.row("accounts with a CLV", Html.count(valued));
        t.row("total", Html.num(total));
        t.row("mean", Html.num(mean));
        t.row("minimum", Html.num(s.getDouble(4)));
        t.row("median (approx.)", Html.num(median));
        t.row("90th percentile (approx.)", Html.num(p90));
        t.row("99th percentile (approx.)", Html.num(p99));
        t.row("maximum", Html.num(maxV));
        sb.append("<div class=\"grid grid-wide\">")
                .append("<div>").append(Html.figure(chart.render(), caption)).append("</div>")
                .append("<div>").append(t.html())
                .append(Html.note("Quantiles are Spark's approxQuantile with relative error 0.001.")).append("</div>")
                .append("</div>\n");
        return sb.toString();
    }

    private static String tiers(ReportInput in) {
        Dataset<Row> summary = in.rows(Table.SEGMENT_SUMMARY, "segment");
        List<Row> rows = summary.where(col("scheme").equalTo("value_tier")).orderBy(col("mean_clv").desc_nulls_last())
                .limit(100).collectAsList();
        if (rows.isEmpty()) {
            return Html.note("<code>segment_summary</code> has no value_tier rows for " + in.runDate() + ".");
        }
        long accounts = 0;
        for (Row r : rows) {
            Long a = ReportInput.lng(r, "accounts");
            accounts += a == null ? 0 : a;
        }
        List<String> names = new ArrayList<>();
        double[][] shares = new double[2][rows.size()];
        Html.Table t = Html.Table.compact("tier", "#accounts", "#% acc.", "#total CLV", "#% CLV", "#mean CLV",
                "#churn p", "#value at risk");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String tier = String.valueOf(ReportInput.str(r, "segment"));
            Long a = ReportInput.lng(r, "accounts");
            Double share = ReportInput.dbl(r, "share_of_clv");
            double accShare = accounts == 0 || a == null ? Double.NaN : (double) a / accounts;
            names.add(tier);
            shares[0][i] = accShare;
            shares[1][i] = share == null ? Double.NaN : share;
            t.row("<strong>" + Html.esc(tier) + "</strong>", a == null ? "–" : Html.count(a), Html.pct(accShare),
                    Html.num(ReportInput.dbl(r, "total_clv")),
                    Html.pct(share),
                    Html.num(ReportInput.dbl(r, "mean_clv")), Html.pct(ReportInput.dbl(r, "mean_churn_probability")),
                    Html.num(ReportInput.dbl(r, "total_value_at_risk")));
        }
        double top = 0;
        for (double[] s : shares) {
            for (double v : s) {
                if (Chart.finite(v)) {
                    top = Math.max(top, v);
                }
            }
        }
        String chart = new Chart(420, 290, "Share of accounts and of CLV by value tier")
                .xBands(names, "value tier (highest mean CLV first)").yLinear(0, Math.max(0.1, top), "share")
                .yFormat(v -> String.format(Locale.ROOT, "%.0f%%", 100 * v))
                .bars(List.of("share of accounts", "share of CLV"), shares,
                        new String[] {Chart.MUTED, Chart.PALETTE[1]})
                .render();
        return "<div class=\"grid grid-narrow-chart\"><div>"
                + Html.figure(chart, "Value concentration: each tier's share of the accounts and of the total CLV.")
                + "</div><div>" + t.html() + Html.note("Tiers are cut on CLV rank (<code>cvm.segments.value-tiers"
                + "</code>); value at risk is CLV times churn probability.") + "</div></div>\n";
    }
}
