package dev.cvm.report;

import dev.cvm.pipeline.RunLog;
import dev.cvm.warehouse.Table;
import org.apache.spark.sql.Row;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/** Seconds per stage and per step of the run date, from {@code run_log} (written by every stage command). */
final class TimingsSection implements Section {
    /** The report's own timings are recorded after it is written; showing those of an earlier report would mislead. */
    static final String OWN_STAGE = "report";

    @Override
    public String id() {
        return "timings";
    }

    @Override
    public String title() {
        return "Run timings";
    }

    private record Step(String stage, String step, double seconds, Long rows, Instant finishedAt) {}

    @Override
    public String render(ReportInput in) {
        // One row per step of the run date: a few dozen.
        List<Row> rows = in.rows(Table.RUN_LOG, "run").where(col(RunLog.STAGE).notEqual(OWN_STAGE))
                .limit(5000).collectAsList();
        if (rows.isEmpty()) {
            throw new Unavailable("<code>run_log</code> holds no step timings for " + in.runDate() + ": the stages "
                    + "record them when they finish (<code>cvm run</code> or each stage command).");
        }
        List<Step> steps = new ArrayList<>();
        for (Row r : rows) {
            Double s = ReportInput.dbl(r, "seconds");
            int fi = ReportInput.index(r, "finished_at");
            Object at = fi < 0 || r.isNullAt(fi) ? null : r.get(fi);
            Instant finished = at instanceof Instant i ? i : at instanceof java.sql.Timestamp ts ? ts.toInstant() : null;
            steps.add(new Step(ReportInput.str(r, RunLog.STAGE), ReportInput.str(r, "step"), s == null ? 0 : s,
                    ReportInput.lng(r, "rows"), finished));
        }
        steps.sort(Comparator.comparing(Step::finishedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        Map<String, double[]> perStage = new LinkedHashMap<>();
        Map<String, Instant> lastFinished = new LinkedHashMap<>();
        for (Step s : steps) {
            perStage.computeIfAbsent(s.stage(), k -> new double[2]);
            perStage.get(s.stage())[0] += s.seconds();
            perStage.get(s.stage())[1] += 1;
            if (s.finishedAt() != null) {
                lastFinished.merge(s.stage(), s.finishedAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        double total = perStage.values().stream().mapToDouble(v -> v[0]).sum();
        Instant last = lastFinished.values().stream().max(Comparator.naturalOrder()).orElse(null);
        StringBuilder sb = new StringBuilder();
        sb.append(Html.tiles(List.of(
                new String[] {"stages", String.valueOf(perStage.size())},
                new String[] {"steps", String.valueOf(steps.size())},
                new String[] {"time in steps", duration(total)},
                new String[] {"last step finished", last == null ? "–" : time(last)})));

        List<String> labels = new ArrayList<>(perStage.keySet());
        double[] secs = perStage.values().stream().mapToDouble(v -> v[0]).toArray();
        String chart = Html.figure(Chart.hbars("Seconds per stage", labels, secs, new String[] {Chart.PALETTE[0]},
                TimingsSection::duration, 480), "Time spent in the recorded steps of each stage, in the order the "
                + "stages finished. Spark start-up and time between steps are not included; steps that ran side by "
                + "side (cvm.spark.parallel-steps, cvm.models.parallel-models and parallel-fits) each count in full.");
        Html.Table st = new Html.Table("stage", "#steps", "#seconds", "#share", "#finished (UTC)");
        for (String s : labels) {
            double[] v = perStage.get(s);
            st.row("<strong>" + Html.esc(s) + "</strong>", String.valueOf((long) v[1]), Html.fixed(v[0], 1),
                    Html.inlineBar(total == 0 ? 0 : v[0] / total, Chart.PALETTE[0]) + Html.pct(total == 0 ? null
                            : v[0] / total), lastFinished.containsKey(s) ? shortTime(lastFinished.get(s)) : "–");
        }
        sb.append("<div class=\"grid grid-wide\"><div>").append(chart).append("</div><div>").append(st.html())
                .append("</div></div>\n");

        Html.Table t = new Html.Table("stage", "step", "#rows", "#seconds");
        for (Step s : steps) {
            t.row(Html.esc(s.stage()), Html.esc(s.step()), s.rows() == null ? "–" : Html.count(s.rows()),
                    Html.fixed(s.seconds(), 1));
        }
        sb.append("<details><summary>All ").append(steps.size()).append(" steps</summary>\n").append(t.html())
                .append("</details>\n");
        return sb.toString();
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    private static String time(Instant i) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(i.atOffset(ZoneOffset.UTC));
    }

    private static String shortTime(Instant i) {
        return DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").format(i.atOffset(ZoneOffset.UTC));
    }
}
