package dev.cvm.report;

import dev.cvm.warehouse.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/** The customer value map: quality ratio against price ratio per segment ({@code value_map_segments}). */
final class ValueMapSection implements Section {
    @Override
    public String id() {
        return "value-map";
    }

    @Override
    public String title() {
        return "Customer value map";
    }

    @Override
    public String render(ReportInput in) {
        Dataset<Row> df = in.rows(Table.VALUE_MAP_SEGMENTS, "value-map");
        // One row per segment: a few dozen at most.
        List<Row> rows = df.orderBy(col("segment_type"), col("segment_value")).limit(1000).collectAsList();
        if (rows.isEmpty()) {
            throw in.noRows(Table.VALUE_MAP_SEGMENTS, "value-map");
        }
        double band = in.config() == null ? 0.02 : in.config().valueMap().parityBand();

        Map<String, List<Row>> plotted = new LinkedHashMap<>();
        double spread = 0.04;
        for (Row r : rows) {
            Double q = ReportInput.dbl(r, "quality_ratio");
            Double p = ReportInput.dbl(r, "price_ratio");
            if (q == null || p == null || Boolean.TRUE.equals(bool(r, "suppressed"))) {
                continue;
            }
            spread = Math.max(spread, Math.max(Math.abs(q - 1), Math.abs(p - 1)) * 1.15);
            plotted.computeIfAbsent(String.valueOf(ReportInput.str(r, "segment_type")), k -> new ArrayList<>()).add(r);
        }
        double[] d = Chart.nice(1 - spread, 1 + spread, 6);
        double lo = Math.min(d[0], 2 - d[1]);
        double hi = Math.max(d[1], 2 - d[0]);
        Chart chart = new Chart(500, 420, "Customer value map: quality ratio against price ratio per segment")
                .xFixed(lo, hi, d[2], "price ratio (price attractiveness vs competitor; > 1 is better)")
                .yFixed(lo, hi, d[2], "quality ratio (vs competitor; > 1 is better)")
                .xFormat(v -> String.format(Locale.ROOT, "%.2f", v)).yFormat(v -> String.format(Locale.ROOT, "%.2f", v))
                .shade(1 - band, 1 + band, lo, hi, "#9aa3ae", 0.14)
                .shade(lo, hi, 1 - band, 1 + band, "#9aa3ae", 0.14)
                .refLine(1, lo, 1, hi, null).refLine(lo, 1, hi, 1, null)
                .text(hi - (hi - lo) * 0.02, hi - (hi - lo) * 0.04, "advantage", "end", "quadrant")
                .text(lo + (hi - lo) * 0.02, hi - (hi - lo) * 0.04, "premium", "start", "quadrant")
                .text(hi - (hi - lo) * 0.02, lo + (hi - lo) * 0.03, "economy", "end", "quadrant")
                .text(lo + (hi - lo) * 0.02, lo + (hi - lo) * 0.03, "disadvantage", "start", "quadrant");
        int i = 0;
        for (Map.Entry<String, List<Row>> e : plotted.entrySet()) {
            List<Row> rs = e.getValue();
            double[] x = rs.stream().mapToDouble(r -> ReportInput.dbl(r, "price_ratio")).toArray();
            double[] y = rs.stream().mapToDouble(r -> ReportInput.dbl(r, "quality_ratio")).toArray();
            List<String> labels = rs.stream().map(r -> {
                String v = ReportInput.str(r, "segment_value");
                return e.getKey().equals("all") ? "all respondents" : v;
            }).toList();
            boolean all = e.getKey().equals("all");
            chart.points(all ? "all respondents" : e.getKey(), x, y, labels,
                    all ? "#1f2933" : Chart.PALETTE[(i++ + 1) % Chart.PALETTE.length], all ? 6.5 : 5);
        }

        String level = rows.stream().map(r -> ReportInput.dbl(r, "confidence_level")).filter(v -> v != null)
                .findFirst().map(v -> String.format(Locale.ROOT, "%.0f%%", 100 * v)).orElse("");
        Html.Table t = Html.Table.compact("segment", "#respondents", "#relative value", "#" + level + " interval",
                "#quality", "#price", "quadrant");
        for (Row r : rows) {
            String type = ReportInput.str(r, "segment_type");
            String value = ReportInput.str(r, "segment_value");
            String seg = "all".equals(type) ? "<strong>all respondents</strong>"
                    : Html.esc(type) + " = <strong>" + Html.esc(value) + "</strong>";
            Long n = ReportInput.lng(r, "respondents");
            if (Boolean.TRUE.equals(bool(r, "suppressed"))) {
                t.row(seg, n == null ? "–" : Html.count(n), "<span class=\"sub\">suppressed (too few respondents)</span>",
                        "", "", "", "");
                continue;
            }
            Double lowCi = ReportInput.dbl(r, "relative_value_ci_low");
            Double highCi = ReportInput.dbl(r, "relative_value_ci_high");
            String quadrant = ReportInput.str(r, "quadrant");
            t.row(seg, n == null ? "–" : Html.count(n), Html.fixed(ReportInput.dbl(r, "relative_value"), 3),
                    lowCi == null || highCi == null ? "–" : Html.fixed(lowCi, 3) + " – " + Html.fixed(highCi, 3),
                    Html.fixed(ReportInput.dbl(r, "quality_ratio"), 3), Html.fixed(ReportInput.dbl(r, "price_ratio"), 3),
                    quadrant == null ? "–" : Html.badge(quadrant, quadrantKind(quadrant)));
        }
        String caption = String.format(Locale.ROOT, "Each point is a segment; the grey bands are parity (1 ± %.2f, "
                + "<code>cvm.value-map.parity-band</code>). Up and right is better than the competitor on both "
                + "axes. A label that would hide another is left out: hover a point for its segment.", band);
        return "<div class=\"grid grid-wide\"><div>" + Html.figure(chart.render(), caption) + "</div><div>"
                + overall(rows, level) + "</div></div>\n" + t.html()
                + Html.note("Relative value: importance-weighted mean of the attribute performance ratios (1.0 is "
                + "parity), with its confidence interval. Quality and price: the same mean over the attributes of "
                + "one axis. Method and formulas: <code>docs/value-map.md</code>.");
    }

    /** The headline: the segment of all respondents, and how many segments sit in each quadrant. */
    private static String overall(List<Row> rows, String level) {
        Row all = rows.stream().filter(r -> "all".equals(ReportInput.str(r, "segment_type"))).findFirst().orElse(null);
        List<String[]> tiles = new ArrayList<>();
        if (all != null && !Boolean.TRUE.equals(bool(all, "suppressed"))) {
            Double lo = ReportInput.dbl(all, "relative_value_ci_low");
            Double hi = ReportInput.dbl(all, "relative_value_ci_high");
            tiles.add(new String[] {"relative value, all respondents", Html.fixed(ReportInput.dbl(all, "relative_value"), 3)});
            tiles.add(new String[] {level + " interval", lo == null || hi == null ? "–"
                    : Html.fixed(lo, 3) + " – " + Html.fixed(hi, 3)});
            String q = ReportInput.str(all, "quadrant");
            tiles.add(new String[] {"quadrant", q == null ? "–" : q});
        }
        Map<String, Integer> quadrants = new LinkedHashMap<>();
        for (String q : List.of("advantage", "premium", "parity", "economy", "disadvantage")) {
            quadrants.put(q, 0);
        }
        int suppressed = 0;
        for (Row r : rows) {
            if (Boolean.TRUE.equals(bool(r, "suppressed"))) {
                suppressed++;
            } else if (ReportInput.str(r, "quadrant") != null && !"all".equals(ReportInput.str(r, "segment_type"))) {
                quadrants.merge(ReportInput.str(r, "quadrant"), 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder(Html.tiles(tiles));
        Html.Table t = Html.Table.compact("quadrant", "#segments", "meaning");
        Map<String, String> meaning = Map.of(
                "advantage", "better on one axis, not worse on the other",
                "premium", "as good or better quality, less attractive price",
                "parity", "no material difference with the competitor",
                "economy", "worse quality, as attractive or more attractive price",
                "disadvantage", "worse on both");
        quadrants.forEach((q, n) -> t.row(Html.badge(q, quadrantKind(q)), String.valueOf(n),
                "<span class=\"sub\">" + Html.esc(meaning.getOrDefault(q, "")) + "</span>"));
        sb.append(t.html());
        if (suppressed > 0) {
            sb.append(Html.note(suppressed + " segment" + (suppressed == 1 ? " has" : "s have") + " too few "
                    + "respondents to publish (<code>cvm.value-map.min-respondents</code>): listed below, not plotted."));
        }
        return sb.toString();
    }

    private static Boolean bool(Row r, String field) {
        int i = ReportInput.index(r, field);
        return i < 0 || r.isNullAt(i) ? null : r.get(i) instanceof Boolean b ? b : null;
    }

    private static String quadrantKind(String quadrant) {
        return switch (quadrant) {
            case "advantage" -> "ok";
            case "disadvantage" -> "fail";
            case "parity" -> "muted";
            default -> "warn";
        };
    }
}
