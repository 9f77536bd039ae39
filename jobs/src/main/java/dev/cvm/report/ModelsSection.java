package dev.cvm.report;

import dev.cvm.models.BinaryMetrics;
import dev.cvm.models.ModelRegistry;
import dev.cvm.models.ModelVersion;
import dev.cvm.warehouse.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The champion of every model in {@code model_registry} (read through {@link ModelRegistry}, the models stage's own
 * reader; the table is one row per trained version, so small): ROC curve, lift by decile, reliability chart and the
 * headline validation metrics ({@link ModelVersion#metrics()}, as {@link BinaryMetrics#evaluate} names them).
 */
final class ModelsSection implements Section {
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

    record Model(ModelVersion v, ModelCurves curves) {
        String label() {
            return v.name() + " v" + v.version();
        }

        /** A stored metric, null when the registry has none (or NaN) under that name. */
        Double metric(String key) {
            Double d = v.metrics().get(key);
            return d == null || d.isNaN() ? null : d;
        }
    }

    @Override
    public String render(ReportInput in) {
        if (!in.warehouse().exists(Table.MODEL_REGISTRY)) {
            throw new Unavailable("table <code>model_registry</code> does not exist in this warehouse: train the models "
                    + "first (<code>cvm train</code>).");
        }
        List<Model> models = new ArrayList<>();
        for (ModelVersion v : new ModelRegistry(in.warehouse()).all()) {
            if (ModelVersion.CHAMPION.equals(v.status())) {
                models.add(new Model(v, ModelCurves.of(v)));
            }
        }
        if (models.isEmpty()) {
            throw new Unavailable("<code>model_registry</code> holds no champion: no model has passed the promotion "
                    + "gate yet (<code>cvm models list</code>).");
        }
        models.sort(Comparator.comparing(m -> m.v().name()));

        StringBuilder sb = new StringBuilder();
        sb.append(Html.note("The champion of each model as the registry holds it when the report is written. Metrics "
                + "are measured on the validation snapshot (a later as-of date than the training data, with matured "
                + "labels)."));
        List<String> figures = new ArrayList<>();
        figures.add(Html.figure(rocChart(models), "ROC curve: share of positives found (true positive rate) against "
                + "share of negatives flagged, as the score threshold falls. Drawn at decile resolution from the "
                + "registry's decile table (the registry stores the AUC, not the curve)."));
        figures.add(Html.figure(liftChart(models), "Lift by score decile (1 = the 10% highest scores): the positive rate "
                + "of the decile over the overall rate. 1.0 is no better than random."));
        figures.add(Html.figure(calibrationChart(models), "Reliability: the observed positive rate against the mean "
                + "predicted probability, per probability bin. On the diagonal, a predicted 20% means 20%."));
        sb.append(Html.grid(figures));
        List<String> bare = models.stream().filter(m -> m.curves().isEmpty()).map(Model::label).toList();
        if (!bare.isEmpty()) {
            sb.append(Html.note("No evaluation tables in the registry for " + Html.esc(String.join(", ", bare))
                    + ": not drawn."));
        }

        List<String> headers = new ArrayList<>(List.of("model", "family", "validation as-of", "#validation rows",
                "#positive rate"));
        for (String[] h : HEADLINE) {
            headers.add("#" + h[1]);
        }
        Html.Table t = new Html.Table(headers.toArray(new String[0]));
        for (Model m : models) {
            List<String> cells = new ArrayList<>();
            cells.add("<strong>" + Html.esc(m.label()) + "</strong><div class=\"sub\">label <code>"
                    + Html.esc(m.v().target()) + "</code></div>");
            cells.add(Html.esc(m.v().family()));
            cells.add(Html.esc(m.v().validationAsOfDate()));
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
        models.forEach(m -> keys.addAll(m.v().metrics().keySet()));
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
            ModelVersion v = m.v();
            sb.append("<li><strong>").append(Html.esc(m.label())).append("</strong> (trained on run ")
                    .append(Html.esc(v.runDate())).append(", training as-of dates ")
                    .append(Html.esc(v.trainingAsOfDates().toString())).append("): ")
                    .append(Html.esc(v.promotionReason() == null ? "no reason recorded" : v.promotionReason()))
                    .append("</li>");
        }
        return sb.append("</ul></details>\n").toString();
    }

    private static String rocChart(List<Model> models) {
        Chart c = new Chart(380, 330, "ROC curves of the champion models")
                .xFixed(0, 1, 0.2, "false positive rate").yFixed(0, 1, 0.2, "true positive rate")
                .refLine(0, 0, 1, 1, "random");
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            List<ModelCurves.Point> roc = m.curves().roc();
            if (roc.isEmpty()) {
                continue;
            }
            double[] x = roc.stream().mapToDouble(ModelCurves.Point::x).toArray();
            double[] y = roc.stream().mapToDouble(ModelCurves.Point::y).toArray();
            Double auc = m.metric("roc_auc");
            c.line(m.label() + (auc == null ? "" : String.format(Locale.ROOT, " (AUC %.3f)", auc)), x, y,
                    Chart.PALETTE[i % Chart.PALETTE.length], false, true);
        }
        return c.render();
    }

    private static String liftChart(List<Model> models) {
        double max = 1.5;
        for (Model m : models) {
            for (BinaryMetrics.Decile d : m.curves().deciles()) {
                if (Chart.finite(d.lift())) {
                    max = Math.max(max, d.lift());
                }
            }
        }
        Chart c = new Chart(380, 330, "Lift by score decile of the champion models")
                .xFixed(0.5, 10.5, 1, "score decile (1 = highest scores)").yLinear(0, max * 1.05, "lift")
                .xFormat(v -> String.valueOf((int) Math.round(v)))
                .refLine(0.5, 1, 10.5, 1, "random");
        for (int i = 0; i < models.size(); i++) {
            List<BinaryMetrics.Decile> deciles = models.get(i).curves().deciles();
            if (deciles.isEmpty()) {
                continue;
            }
            double[] x = deciles.stream().mapToDouble(BinaryMetrics.Decile::decile).toArray();
            double[] y = deciles.stream().mapToDouble(BinaryMetrics.Decile::lift).toArray();
            c.line(models.get(i).label(), x, y, Chart.PALETTE[i % Chart.PALETTE.length], false, true);
        }
        return c.render();
    }

    private static String calibrationChart(List<Model> models) {
        double max = 0.05;
        for (Model m : models) {
            for (BinaryMetrics.ReliabilityBin b : m.curves().reliability()) {
                max = Math.max(max, Math.max(b.meanPredicted(), b.observedRate()));
            }
        }
        double[] d = Chart.nice(0, Math.min(1, max), 5);
        double top = Math.min(1, d[1]);
        Chart c = new Chart(380, 330, "Reliability of the champion models")
                .xFixed(0, top, d[2], "mean predicted probability").yFixed(0, top, d[2], "observed positive rate")
                .refLine(0, 0, top, top, "perfect calibration");
        for (int i = 0; i < models.size(); i++) {
            // Only bins that hold predictions exist in the table (empty bins are never grouped).
            List<BinaryMetrics.ReliabilityBin> bins = models.get(i).curves().reliability();
            if (bins.isEmpty()) {
                continue;
            }
            double[] x = bins.stream().mapToDouble(BinaryMetrics.ReliabilityBin::meanPredicted).toArray();
            double[] y = bins.stream().mapToDouble(BinaryMetrics.ReliabilityBin::observedRate).toArray();
            c.line(models.get(i).label(), x, y, Chart.PALETTE[i % Chart.PALETTE.length], false, true);
        }
        return c.render();
    }
}
