package dev.cvm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.warehouse.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;

/**
 * The champion of every model in {@code model_registry}: ROC curve, lift by decile, reliability (calibration) chart and
 * the headline metrics. The registry is small (one row per trained version), so its champion rows are read whole.
 *
 * <p>Expected registry columns (the models stage, {@code dev.cvm.models.ModelVersion}): name, version, status,
 * family, target, run_date, validation_as_of_date, metrics (map of metric name to double: roc_auc, pr_auc, brier, ece,
 * lift_top_decile, n, positive_rate, ...), details (JSON with "reliability": [{bin, lower, upper, count,
 * meanPredicted, observedRate}] and "deciles": [{decile, count, positives, meanPredicted, observedRate, lift, capture,
 * cumulativeLift, cumulativeCapture}]; snake_case keys are accepted too), promotion_reason. Anything missing is shown
 * as missing: metrics as top-level numeric columns are read as well, and an optional "roc" list of {fpr, tpr} points
 * in details is drawn as it is; without it the ROC curve is derived from the decile table.
 */
final class ModelsSection implements Section {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The headline metrics, in table order: key, column header, decimals. */
    private static final String[][] HEADLINE = {
            {"roc_auc", "ROC AUC", "3"}, {"pr_auc", "PR AUC", "3"}, {"brier", "Brier", "4"}, {"ece", "ECE", "4"},
            {"lift_top_decile", "top-decile lift", "2"}};

    @Override
    public String id() {
        return "models";
    }

    @Override
    public String title() {
        return "Model metrics (champions)";
    }

    record Point(double x, double y) {}

    record Model(String name, Integer version, String family, String target, String trainedRunDate,
                 String validationDate, String reason, Map<String, Double> metrics, List<Point> roc,
                 boolean rocFromDeciles, double[] liftByDecile, List<Point> reliability) {
        String label() {
            return name + (version == null ? "" : " v" + version);
        }

        Double metric(String key) {
            return metrics.get(key);
        }
    }

    @Override
    public String render(ReportInput in) {
        if (!in.warehouse().exists(Table.MODEL_REGISTRY)) {
            throw new Unavailable("table <code>model_registry</code> does not exist in this warehouse: train the models "
                    + "first (<code>cvm train</code>).");
        }
        Dataset<Row> reg = in.warehouse().read(Table.MODEL_REGISTRY);
        if (ReportInput.has(reg, "status")) {
            reg = reg.where(col("status").equalTo("champion"));
        }
        // One row per model version: small by construction. The limit only guards against a runaway table.
        List<Row> rows = reg.limit(200).collectAsList();
        if (rows.isEmpty()) {
            throw new Unavailable("<code>model_registry</code> holds no champion: no model has passed the promotion "
                    + "gate yet (<code>cvm models list</code>).");
        }
        List<Model> models = new ArrayList<>();
        for (Row r : rows) {
            models.add(parse(r));
        }
        models.sort(Comparator.comparing(Model::name));

        StringBuilder sb = new StringBuilder();
        sb.append(Html.note("The champion of each model as the registry holds it when the report is written. Metrics "
                + "are measured on the validation snapshot (a later as-of date than the training data, with matured "
                + "labels)."));
        List<String> figures = new ArrayList<>();
        figures.add(Html.figure(rocChart(models), "ROC curve: share of positives found (true positive rate) against "
                + "share of negatives flagged, as the score threshold falls." + (models.stream()
                .anyMatch(Model::rocFromDeciles) ? " Drawn at decile resolution from the registry's decile table." : "")));
        figures.add(Html.figure(liftChart(models), "Lift by score decile (1 = the 10% highest scores): the positive rate "
                + "of the decile over the overall rate. 1.0 is no better than random."));
        figures.add(Html.figure(calibrationChart(models), "Reliability: the observed positive rate against the mean "
                + "predicted probability, per probability bin. On the diagonal, a predicted 20% means 20%."));
        sb.append(Html.grid(figures));

        List<String> headers = new ArrayList<>(List.of("model", "family", "validation as-of", "#validation rows",
                "#positive rate"));
        for (String[] h : HEADLINE) {
            headers.add("#" + h[1]);
        }
        Html.Table t = new Html.Table(headers.toArray(new String[0]));
        for (Model m : models) {
            List<String> cells = new ArrayList<>();
            cells.add("<strong>" + Html.esc(m.label()) + "</strong>" + (m.target() == null ? ""
                    : "<div class=\"sub\">label <code>" + Html.esc(m.target()) + "</code></div>"));
            cells.add(Html.esc(m.family() == null ? "–" : m.family()));
            cells.add(Html.esc(m.validationDate() == null ? "–" : m.validationDate()));
            Double n = m.metric("n");
            cells.add(n == null ? "–" : Html.count(Math.round(n)));
            cells.add(Html.pct(m.metric("positive_rate")));
            for (String[] h : HEADLINE) {
                cells.add(Html.fixed(m.metric(h[0]), Integer.parseInt(h[2])));
            }
            t.row(cells.toArray(new String[0]));
        }
        sb.append(t.html());
        sb.append(Html.note("ROC AUC and PR AUC: ranking quality (higher is better; PR AUC is to be compared with the "
                + "positive rate). Brier: mean squared error of the probability; ECE: expected calibration error over "
                + "10 bins (both lower is better)."));
        sb.append(allMetrics(models));
        return sb.toString();
    }

    /** Every stored metric of every champion, and why it is the champion, folded away. */
    private static String allMetrics(List<Model> models) {
        Set<String> keys = new LinkedHashSet<>();
        models.forEach(m -> keys.addAll(m.metrics().keySet()));
        List<String> headers = new ArrayList<>(List.of("metric"));
        models.forEach(m -> headers.add("#" + m.label()));
        Html.Table t = new Html.Table(headers.toArray(new String[0]));
        for (String k : keys) {
            List<String> cells = new ArrayList<>(List.of("<code>" + Html.esc(k) + "</code>"));
            models.forEach(m -> cells.add(Html.num(m.metric(k))));
            t.row(cells.toArray(new String[0]));
        }
        StringBuilder sb = new StringBuilder("<details><summary>All stored metrics and promotion reasons</summary>\n");
        sb.append(t.html()).append("<ul class=\"plain\">");
        for (Model m : models) {
            sb.append("<li><strong>").append(Html.esc(m.label())).append("</strong>")
                    .append(m.trainedRunDate() == null ? "" : " (trained on run " + Html.esc(m.trainedRunDate()) + ")")
                    .append(": ").append(Html.esc(m.reason() == null ? "no reason recorded" : m.reason())).append("</li>");
        }
        return sb.append("</ul></details>\n").toString();
    }

    private static String rocChart(List<Model> models) {
        Chart c = new Chart(380, 330, "ROC curves of the champion models")
                .xFixed(0, 1, 0.2, "false positive rate").yFixed(0, 1, 0.2, "true positive rate")
                .refLine(0, 0, 1, 1, "random");
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            if (m.roc().isEmpty()) {
                continue;
            }
            double[] x = m.roc().stream().mapToDouble(Point::x).toArray();
            double[] y = m.roc().stream().mapToDouble(Point::y).toArray();
            Double auc = m.metric("roc_auc");
            c.line(m.label() + (auc == null ? "" : String.format(java.util.Locale.ROOT, " (AUC %.3f)", auc)), x, y,
                    Chart.PALETTE[i % Chart.PALETTE.length], false, m.rocFromDeciles());
        }
        return c.render();
    }

    private static String liftChart(List<Model> models) {
        double max = 1.5;
        for (Model m : models) {
            for (double v : m.liftByDecile()) {
                if (Chart.finite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        Chart c = new Chart(380, 330, "Lift by score decile of the champion models")
                .xFixed(0.5, 10.5, 1, "score decile (1 = highest scores)").yLinear(0, max * 1.05, "lift")
                .xFormat(v -> String.valueOf((int) Math.round(v)))
                .refLine(0.5, 1, 10.5, 1, "random");
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            double[] x = new double[m.liftByDecile().length];
            for (int d = 0; d < x.length; d++) {
                x[d] = d + 1;
            }
            c.line(m.label(), x, m.liftByDecile(), Chart.PALETTE[i % Chart.PALETTE.length], false, true);
        }
        return c.render();
    }

    private static String calibrationChart(List<Model> models) {
        double max = 0.05;
        for (Model m : models) {
            for (Point p : m.reliability()) {
                max = Math.max(max, Math.max(p.x(), p.y()));
            }
        }
        double[] d = Chart.nice(0, Math.min(1, max), 5);
        double top = Math.min(1, d[1]);
        Chart c = new Chart(380, 330, "Reliability of the champion models")
                .xFixed(0, top, d[2], "mean predicted probability").yFixed(0, top, d[2], "observed positive rate")
                .refLine(0, 0, top, top, "perfect calibration");
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            double[] x = m.reliability().stream().mapToDouble(Point::x).toArray();
            double[] y = m.reliability().stream().mapToDouble(Point::y).toArray();
            c.line(m.label(), x, y, Chart.PALETTE[i % Chart.PALETTE.length], false, true);
        }
        return c.render();
    }

    // ---- reading the registry defensively ----

    static Model parse(Row r) {
        Map<String, Double> metrics = metrics(r);
        JsonNode details = null;
        String json = ReportInput.str(r, "details");
        if (json != null) {
            try {
                details = JSON.readTree(json);
            } catch (Exception e) {
                details = null;
            }
        }
        List<Point> reliability = new ArrayList<>();
        double[] lift = new double[0];
        List<Point> roc = new ArrayList<>();
        boolean fromDeciles = false;
        if (details != null) {
            for (JsonNode b : iter(details, "reliability", "reliability_table", "calibration")) {
                double x = num(b, "meanPredicted", "mean_predicted", "predicted");
                double y = num(b, "observedRate", "observed_rate", "observed");
                double cnt = num(b, "count", "n");
                if (Chart.finite(x) && Chart.finite(y) && !(cnt == 0)) {
                    reliability.add(new Point(x, y));
                }
            }
            reliability.sort(Comparator.comparingDouble(Point::x));
            List<JsonNode> deciles = new ArrayList<>();
            iter(details, "deciles", "lift_by_decile").forEach(deciles::add);
            deciles.sort(Comparator.comparingDouble(n -> num(n, "decile")));
            lift = new double[deciles.size()];
            for (int i = 0; i < deciles.size(); i++) {
                lift[i] = num(deciles.get(i), "lift");
            }
            for (JsonNode p : iter(details, "roc", "roc_curve")) {
                double x = num(p, "fpr", "false_positive_rate", "x");
                double y = num(p, "tpr", "true_positive_rate", "y");
                if (Chart.finite(x) && Chart.finite(y)) {
                    roc.add(new Point(x, y));
                }
            }
            if (roc.isEmpty() && !deciles.isEmpty()) {
                roc = rocFromDeciles(deciles);
                fromDeciles = !roc.isEmpty();
            }
            roc.sort(Comparator.comparingDouble(Point::x).thenComparingDouble(Point::y));
        }
        Integer version = null;
        Long v = ReportInput.lng(r, "version");
        if (v != null) {
            version = v.intValue();
        }
        String name = ReportInput.str(r, "name");
        return new Model(name == null ? "model" : name, version, ReportInput.str(r, "family"),
                ReportInput.str(r, "target"), ReportInput.str(r, "run_date"),
                ReportInput.str(r, "validation_as_of_date"), ReportInput.str(r, "promotion_reason"), metrics, roc,
                fromDeciles, lift, reliability);
    }

    /** The metrics map column; without one, the top-level numeric columns other than the version numbers. */
    private static Map<String, Double> metrics(Row r) {
        Map<String, Double> out = new LinkedHashMap<>();
        int i = ReportInput.index(r, "metrics");
        if (i >= 0 && r.schema().fields()[i].dataType() instanceof MapType) {
            if (!r.isNullAt(i)) {
                Map<Object, Object> m = r.getJavaMap(i);
                m.forEach((k, val) -> {
                    if (val instanceof Number n) {
                        out.put(String.valueOf(k), n.doubleValue());
                    }
                });
            }
            return out;
        }
        for (StructField f : r.schema().fields()) {
            if (f.dataType() instanceof NumericType && !List.of("version", "replaced_version").contains(f.name())) {
                Double d = ReportInput.dbl(r, f.name());
                if (d != null) {
                    out.put(f.name(), d);
                }
            }
        }
        return out;
    }

    /**
     * ROC points at the decile cut-offs: flagging deciles 1..k finds cumulative positives / all positives (TPR) and
     * flags cumulative negatives / all negatives (FPR).
     */
    static List<Point> rocFromDeciles(List<JsonNode> deciles) {
        double n = 0;
        double p = 0;
        double[] cnt = new double[deciles.size()];
        double[] pos = new double[deciles.size()];
        for (int i = 0; i < deciles.size(); i++) {
            JsonNode d = deciles.get(i);
            cnt[i] = num(d, "count", "n");
            pos[i] = num(d, "positives");
            if (!Chart.finite(pos[i])) {
                pos[i] = num(d, "observedRate", "observed_rate") * cnt[i];
            }
            if (!Chart.finite(cnt[i]) || !Chart.finite(pos[i])) {
                return List.of();
            }
            n += cnt[i];
            p += pos[i];
        }
        if (p <= 0 || n - p <= 0) {
            return List.of();
        }
        List<Point> out = new ArrayList<>(List.of(new Point(0, 0)));
        double cn = 0;
        double cp = 0;
        for (int i = 0; i < cnt.length; i++) {
            cn += cnt[i];
            cp += pos[i];
            out.add(new Point((cn - cp) / (n - p), cp / p));
        }
        return out;
    }

    private static Iterable<JsonNode> iter(JsonNode node, String... keys) {
        for (String k : keys) {
            JsonNode a = node.get(k);
            if (a != null && a.isArray()) {
                return a;
            }
        }
        return List.of();
    }

    private static double num(JsonNode node, String... keys) {
        for (String k : keys) {
            JsonNode v = node.get(k);
            if (v != null && v.isNumber()) {
                return v.asDouble();
            }
        }
        return Double.NaN;
    }
}
