package dev.cvm.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small SVG chart: a plot area with a linear or categorical x axis and a linear y axis, grid lines, axis titles, a
 * legend, and layers of lines, markers, bars, rectangles, reference lines and labels in data coordinates. The output
 * is one inline {@code <svg>} element with a {@code viewBox}, so it scales with the page, needs no script, font file
 * or network, and its text stays selectable. Hovering a bar or a point shows its exact value (an SVG {@code <title>}).
 */
final class Chart {
    /** Colour-blind-safe categorical palette (Okabe–Ito, with a dark blue first). */
    static final String[] PALETTE = {"#1f5fbf", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#8c6d1f",
            "#5b5b5b"};
    static final String MUTED = "#9aa3ae";
    static final String OK = "#2e8540";
    static final String WARN = "#d99a00";
    static final String FAIL = "#c0392b";

    private static final double CHAR_W = 6.4;

    private final int width;
    private final int height;
    private final String title;
    private double left = 58;
    private final double right = 18;
    private double top = 14;
    private double bottom = 46;

    private double xMin = 0;
    private double xMax = 1;
    private double yMin = 0;
    private double yMax = 1;
    private double xStep = Double.NaN;
    private double yStep = Double.NaN;
    private List<String> bands;
    private String xLabel = "";
    private String yLabel = "";
    private DoubleFunction<String> xFmt = Html::compact;
    private DoubleFunction<String> yFmt = Html::compact;

    private final List<Layer> layers = new ArrayList<>();
    private final List<String[]> legend = new ArrayList<>();

    /** A drawing in plot coordinates, deferred until the axes are final. */
    private interface Layer {
        void draw(StringBuilder sb);
    }

    Chart(int width, int height, String title) {
        this.width = width;
        this.height = height;
        this.title = title;
    }

    // ---- axes ----

    /** Linear x axis over [min, max], widened to round tick values. */
    Chart xLinear(double min, double max, String label) {
        double[] d = nice(min, max, Math.max(3, width / 90));
        xMin = d[0];
        xMax = d[1];
        xStep = d[2];
        xLabel = label;
        return this;
    }

    /** Linear x axis over exactly [min, max] with the given tick step. */
    Chart xFixed(double min, double max, double step, String label) {
        xMin = min;
        xMax = max;
        xStep = step;
        xLabel = label;
        return this;
    }

    /** Categorical x axis: one band per category, in order. */
    Chart xBands(List<String> categories, String label) {
        bands = List.copyOf(categories);
        xMin = 0;
        xMax = Math.max(1, categories.size());
        xLabel = label;
        return this;
    }

    /** Linear y axis over [min, max], widened to round tick values. */
    Chart yLinear(double min, double max, String label) {
        double[] d = nice(min, max, Math.max(3, height / 55));
        yMin = d[0];
        yMax = d[1];
        yStep = d[2];
        yLabel = label;
        return this;
    }

    Chart yFixed(double min, double max, double step, String label) {
        yMin = min;
        yMax = max;
        yStep = step;
        yLabel = label;
        return this;
    }

    Chart xFormat(DoubleFunction<String> f) {
        xFmt = f;
        return this;
    }

    Chart yFormat(DoubleFunction<String> f) {
        yFmt = f;
        return this;
    }

    // ---- layers (data coordinates) ----

    /** A polyline through the points (NaN values break it); optional dashes and markers; listed in the legend. */
    Chart line(String name, double[] xs, double[] ys, String color, boolean dashed, boolean markers) {
        layers.add(sb -> {
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < xs.length; i++) {
                if (!finite(xs[i]) || !finite(ys[i])) {
                    pen = false;
                    continue;
                }
                d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(f(px(xs[i]))).append(' ').append(f(py(ys[i])));
                pen = true;
            }
            if (d.length() > 0) {
                sb.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color)
                        .append("\" stroke-width=\"2\" stroke-linejoin=\"round\"")
                        .append(dashed ? " stroke-dasharray=\"5 4\"" : "").append("/>\n");
            }
            if (markers) {
                for (int i = 0; i < xs.length; i++) {
                    if (finite(xs[i]) && finite(ys[i])) {
                        sb.append("<circle cx=\"").append(f(px(xs[i]))).append("\" cy=\"").append(f(py(ys[i])))
                                .append("\" r=\"3.2\" fill=\"").append(color).append("\" stroke=\"#fff\" stroke-width=\"1\">")
                                .append("<title>").append(Html.esc(name)).append(": ").append(Html.esc(xFmt.apply(xs[i])))
                                .append(", ").append(Html.esc(yFmt.apply(ys[i]))).append("</title></circle>\n");
                    }
                }
            }
        });
        if (name != null) {
            legend.add(new String[] {name, color, dashed ? "dash" : "line"});
        }
        return this;
    }

    /** Grouped vertical bars on the categorical axis: {@code values[series][category]}. */
    Chart bars(List<String> seriesNames, double[][] values, String[] colors) {
        int nSeries = values.length;
        layers.add(sb -> {
            double band = bandWidth();
            double inner = band * 0.76;
            double w = inner / Math.max(1, nSeries);
            for (int s = 0; s < nSeries; s++) {
                for (int c = 0; c < values[s].length; c++) {
                    double v = values[s][c];
                    if (!finite(v)) {
                        continue;
                    }
                    double x0 = left + c * band + (band - inner) / 2 + s * w;
                    double y0 = py(Math.max(Math.min(v, yMax), yMin));
                    double base = py(Math.max(yMin, Math.min(0, yMax)));
                    double top = Math.min(y0, base);
                    double h = Math.abs(base - y0);
                    sb.append("<rect x=\"").append(f(x0 + 0.5)).append("\" y=\"").append(f(top)).append("\" width=\"")
                            .append(f(Math.max(1, w - 1))).append("\" height=\"").append(f(Math.max(0.5, h)))
                            .append("\" rx=\"1.5\" fill=\"").append(colors[s % colors.length]).append("\"><title>")
                            .append(Html.esc(bands.get(c))).append(nSeries > 1 ? " – " + Html.esc(seriesNames.get(s)) : "")
                            .append(": ").append(Html.esc(yFmt.apply(v))).append("</title></rect>\n");
                }
            }
        });
        if (nSeries > 1) {
            for (int s = 0; s < nSeries; s++) {
                legend.add(new String[] {seriesNames.get(s), colors[s % colors.length], "box"});
            }
        }
        return this;
    }

    /** A filled rectangle in data coordinates (histogram bins), with a hover text. */
    Chart rect(double x0, double x1, double y0, double y1, String color, String hover) {
        layers.add(sb -> {
            double a = px(Math.min(x0, x1));
            double b = px(Math.max(x0, x1));
            double t = py(Math.max(y0, y1));
            double h = py(Math.min(y0, y1)) - t;
            sb.append("<rect x=\"").append(f(a + 0.5)).append("\" y=\"").append(f(t)).append("\" width=\"")
                    .append(f(Math.max(0.8, b - a - 1))).append("\" height=\"").append(f(Math.max(0, h)))
                    .append("\" fill=\"").append(color).append("\">");
            if (hover != null) {
                sb.append("<title>").append(Html.esc(hover)).append("</title>");
            }
            sb.append("</rect>\n");
        });
        return this;
    }

    /** A translucent area behind the data (a parity band, a threshold zone). */
    Chart shade(double x0, double x1, double y0, double y1, String color, double opacity) {
        layers.add(0, sb -> {
            double a = px(clamp(Math.min(x0, x1), xMin, xMax));
            double b = px(clamp(Math.max(x0, x1), xMin, xMax));
            double t = py(clamp(Math.max(y0, y1), yMin, yMax));
            double u = py(clamp(Math.min(y0, y1), yMin, yMax));
            sb.append("<rect x=\"").append(f(a)).append("\" y=\"").append(f(t)).append("\" width=\"").append(f(b - a))
                    .append("\" height=\"").append(f(u - t)).append("\" fill=\"").append(color)
                    .append("\" fill-opacity=\"").append(f(opacity)).append("\"/>\n");
        });
        return this;
    }

    /** A point label waiting for a place: placed after every point is drawn, so it can avoid them all. */
    private record PointLabel(double x, double y, double radius, String text) {}

    private final List<PointLabel> pointLabels = new ArrayList<>();

    /**
     * Points with an optional label beside each (a scatter); listed in the legend under {@code name}. A label goes
     * right of its point, else left, above or below, wherever it overlaps no other label or point; a label with no
     * free place is left out (the point's hover text still names it).
     */
    Chart points(String name, double[] xs, double[] ys, List<String> labels, String color, double radius) {
        layers.add(sb -> {
            for (int i = 0; i < xs.length; i++) {
                if (!finite(xs[i]) || !finite(ys[i])) {
                    continue;
                }
                double cx = px(clamp(xs[i], xMin, xMax));
                double cy = py(clamp(ys[i], yMin, yMax));
                String label = labels == null ? null : labels.get(i);
                sb.append("<circle cx=\"").append(f(cx)).append("\" cy=\"").append(f(cy)).append("\" r=\"")
                        .append(f(radius)).append("\" fill=\"").append(color)
                        .append("\" fill-opacity=\"0.85\" stroke=\"#fff\" stroke-width=\"1.2\"><title>")
                        .append(Html.esc(label == null ? name : label)).append(": ").append(Html.esc(xFmt.apply(xs[i])))
                        .append(", ").append(Html.esc(yFmt.apply(ys[i]))).append("</title></circle>\n");
            }
        });
        for (int i = 0; labels != null && i < xs.length; i++) {
            if (finite(xs[i]) && finite(ys[i]) && labels.get(i) != null) {
                pointLabels.add(new PointLabel(xs[i], ys[i], radius, labels.get(i)));
            }
        }
        if (name != null) {
            legend.add(new String[] {name, color, "dot"});
        }
        return this;
    }

    /** Places the point labels greedily, in the order the points were added. */
    private void drawPointLabels(StringBuilder sb) {
        List<double[]> taken = new ArrayList<>();
        for (PointLabel p : pointLabels) {
            double cx = px(clamp(p.x(), xMin, xMax));
            double cy = py(clamp(p.y(), yMin, yMax));
            taken.add(new double[] {cx - p.radius(), cy - p.radius(), cx + p.radius(), cy + p.radius()});
        }
        for (PointLabel p : pointLabels) {
            double cx = px(clamp(p.x(), xMin, xMax));
            double cy = py(clamp(p.y(), yMin, yMax));
            double w = p.text().length() * CHAR_W * 0.95;
            double h = 11;
            double g = p.radius() + 3;
            // candidate boxes [x0, y0, x1, y1] with the text anchor: right, left, above, below
            double[][] boxes = {
                    {cx + g, cy - h / 2, cx + g + w, cy + h / 2},
                    {cx - g - w, cy - h / 2, cx - g, cy + h / 2},
                    {cx - w / 2, cy - g - h, cx + w / 2, cy - g},
                    {cx - w / 2, cy + g, cx + w / 2, cy + g + h}};
            for (double[] b : boxes) {
                boolean inside = b[0] >= left && b[2] <= left + plotW() && b[1] >= top && b[3] <= top + plotH();
                boolean free = inside;
                for (double[] t : taken) {
                    // A candidate never overlaps its own point: it starts radius + 3 away from the centre.
                    if (b[0] < t[2] && t[0] < b[2] && b[1] < t[3] && t[1] < b[3]) {
                        free = false;
                        break;
                    }
                }
                if (free) {
                    taken.add(b);
                    sb.append("<text x=\"").append(f((b[0] + b[2]) / 2)).append("\" y=\"").append(f(b[3] - 2.5))
                            .append("\" text-anchor=\"middle\" class=\"pt-label\">").append(Html.esc(p.text()))
                            .append("</text>\n");
                    break;
                }
            }
        }
    }

    /** A grey dashed reference line between two data points, with an optional label at its end. */
    Chart refLine(double x0, double y0, double x1, double y1, String label) {
        layers.add(0, sb -> {
            sb.append("<line x1=\"").append(f(px(x0))).append("\" y1=\"").append(f(py(y0))).append("\" x2=\"")
                    .append(f(px(x1))).append("\" y2=\"").append(f(py(y1)))
                    .append("\" stroke=\"#7b8794\" stroke-width=\"1.2\" stroke-dasharray=\"4 4\"/>\n");
            if (label != null) {
                sb.append("<text x=\"").append(f(px(x1) - 4)).append("\" y=\"").append(f(py(y1) - 5))
                        .append("\" class=\"ref-label\" text-anchor=\"end\">").append(Html.esc(label)).append("</text>\n");
            }
        });
        return this;
    }

    /** A text label at a data point; anchor start, middle or end. */
    Chart text(double x, double y, String text, String anchor, String cssClass) {
        layers.add(sb -> sb.append("<text x=\"").append(f(px(x))).append("\" y=\"").append(f(py(y)))
                .append("\" text-anchor=\"").append(anchor).append("\" class=\"").append(cssClass).append("\">")
                .append(Html.esc(text)).append("</text>\n"));
        return this;
    }

    // ---- rendering ----

    String render() {
        int legendRows = legendRows();
        top = 14 + legendRows * 18;
        boolean rotate = bands != null && rotateBandLabels();
        if (rotate) {
            int longest = bands.stream().mapToInt(String::length).max().orElse(4);
            bottom = 30 + Math.min(18, longest) * CHAR_W * 0.6;
        }
        double yLabelWidth = 0;
        for (double v : ticks(yMin, yMax, yStep)) {
            yLabelWidth = Math.max(yLabelWidth, yFmt.apply(v).length() * CHAR_W);
        }
        left = Math.max(44, yLabelWidth + 30);

        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(Html.esc(title))
                .append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\"")
                .append(" font-size=\"11\">\n<title>").append(Html.esc(title)).append("</title>\n");
        // plot background and grid
        sb.append("<rect x=\"").append(f(left)).append("\" y=\"").append(f(top)).append("\" width=\"")
                .append(f(plotW())).append("\" height=\"").append(f(plotH())).append("\" fill=\"#fbfcfd\"/>\n");
        for (double v : ticks(yMin, yMax, yStep)) {
            double y = py(v);
            sb.append("<line x1=\"").append(f(left)).append("\" x2=\"").append(f(left + plotW())).append("\" y1=\"")
                    .append(f(y)).append("\" y2=\"").append(f(y)).append("\" stroke=\"#e3e8ee\"/>\n");
            sb.append("<text x=\"").append(f(left - 6)).append("\" y=\"").append(f(y + 3.5))
                    .append("\" text-anchor=\"end\" class=\"tick\">").append(Html.esc(yFmt.apply(v))).append("</text>\n");
        }
        if (bands == null) {
            for (double v : ticks(xMin, xMax, xStep)) {
                double x = px(v);
                sb.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"").append(f(top))
                        .append("\" y2=\"").append(f(top + plotH())).append("\" stroke=\"#eef1f4\"/>\n");
                sb.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(top + plotH() + 15))
                        .append("\" text-anchor=\"middle\" class=\"tick\">").append(Html.esc(xFmt.apply(v)))
                        .append("</text>\n");
            }
        } else {
            for (int i = 0; i < bands.size(); i++) {
                double x = left + (i + 0.5) * bandWidth();
                String label = bands.get(i);
                String shown = label.length() > 18 ? label.substring(0, 17) + "…" : label;
                double y = top + plotH() + 15;
                if (rotate) {
                    sb.append("<text transform=\"translate(").append(f(x + 3)).append(' ').append(f(y - 4))
                            .append(") rotate(-35)\" text-anchor=\"end\" class=\"tick\">");
                } else {
                    sb.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y))
                            .append("\" text-anchor=\"middle\" class=\"tick\">");
                }
                sb.append("<title>").append(Html.esc(label)).append("</title>").append(Html.esc(shown)).append("</text>\n");
            }
        }
        for (Layer l : layers) {
            l.draw(sb);
        }
        drawPointLabels(sb);
        // axes
        sb.append("<line x1=\"").append(f(left)).append("\" x2=\"").append(f(left + plotW())).append("\" y1=\"")
                .append(f(top + plotH())).append("\" y2=\"").append(f(top + plotH()))
                .append("\" stroke=\"#52606d\"/>\n");
        sb.append("<line x1=\"").append(f(left)).append("\" x2=\"").append(f(left)).append("\" y1=\"").append(f(top))
                .append("\" y2=\"").append(f(top + plotH())).append("\" stroke=\"#52606d\"/>\n");
        if (!xLabel.isEmpty()) {
            sb.append("<text x=\"").append(f(left + plotW() / 2)).append("\" y=\"").append(f(height - 8))
                    .append("\" text-anchor=\"middle\" class=\"axis-title\">").append(Html.esc(xLabel)).append("</text>\n");
        }
        if (!yLabel.isEmpty()) {
            sb.append("<text transform=\"translate(13 ").append(f(top + plotH() / 2))
                    .append(") rotate(-90)\" text-anchor=\"middle\" class=\"axis-title\">").append(Html.esc(yLabel))
                    .append("</text>\n");
        }
        drawLegend(sb);
        return sb.append("</svg>").toString();
    }

    private int legendRows() {
        if (legend.isEmpty()) {
            return 0;
        }
        int rows = 1;
        double x = 0;
        double avail = width - 20;
        for (String[] item : legend) {
            double w = 24 + item[0].length() * CHAR_W + 14;
            if (x > 0 && x + w > avail) {
                rows++;
                x = 0;
            }
            x += w;
        }
        return rows;
    }

    private void drawLegend(StringBuilder sb) {
        double x = 10;
        double y = 14;
        double avail = width - 10;
        for (String[] item : legend) {
            double w = 24 + item[0].length() * CHAR_W + 14;
            if (x > 10 && x + w > avail) {
                x = 10;
                y += 18;
            }
            String color = item[1];
            switch (item[2]) {
                case "box" -> sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y - 8))
                        .append("\" width=\"14\" height=\"10\" rx=\"2\" fill=\"").append(color).append("\"/>");
                case "dot" -> sb.append("<circle cx=\"").append(f(x + 7)).append("\" cy=\"").append(f(y - 3))
                        .append("\" r=\"4.5\" fill=\"").append(color).append("\"/>");
                default -> sb.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x + 18)).append("\" y1=\"")
                        .append(f(y - 3)).append("\" y2=\"").append(f(y - 3)).append("\" stroke=\"").append(color)
                        .append("\" stroke-width=\"2.5\"").append(item[2].equals("dash") ? " stroke-dasharray=\"5 3\"" : "")
                        .append("/>");
            }
            sb.append("<text x=\"").append(f(x + 24)).append("\" y=\"").append(f(y + 1)).append("\" class=\"legend\">")
                    .append(Html.esc(item[0])).append("</text>\n");
            x += w;
        }
    }

    private boolean rotateBandLabels() {
        int longest = bands.stream().mapToInt(String::length).max().orElse(0);
        return Math.min(18, longest) * CHAR_W > bandWidthEstimate() - 4;
    }

    private double bandWidthEstimate() {
        return (width - 80.0) / Math.max(1, bands.size());
    }

    private double plotW() {
        return width - left - right;
    }

    private double plotH() {
        return height - top - bottom;
    }

    private double bandWidth() {
        return plotW() / Math.max(1, bands.size());
    }

    private double px(double x) {
        return left + (x - xMin) / (xMax - xMin) * plotW();
    }

    private double py(double y) {
        return top + plotH() - (y - yMin) / (yMax - yMin) * plotH();
    }

    // ---- helpers ----

    /** [niceMin, niceMax, step] covering [min, max] with about {@code target} round ticks. */
    static double[] nice(double min, double max, int target) {
        if (!finite(min) || !finite(max)) {
            return new double[] {0, 1, 0.2};
        }
        if (max < min) {
            double t = min;
            min = max;
            max = t;
        }
        if (max == min) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
            if (min < 0 && max > 0 && min > -pad * 1.01 && min + pad >= 0) {
                min = 0;
            }
        }
        double raw = (max - min) / target;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / mag;
        double step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
        double lo = Math.floor(min / step + 1e-9) * step;
        double hi = Math.ceil(max / step - 1e-9) * step;
        if (hi <= lo) {
            hi = lo + step;
        }
        return new double[] {lo, hi, step};
    }

    static List<Double> ticks(double min, double max, double step) {
        List<Double> out = new ArrayList<>();
        if (!finite(step) || step <= 0) {
            out.add(min);
            out.add(max);
            return out;
        }
        double first = Math.ceil(min / step - 1e-9) * step;
        for (int i = 0; i < 200; i++) {
            double v = first + i * step;
            if (v > max + step * 1e-9) {
                break;
            }
            out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static boolean finite(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * A horizontal bar chart with one labelled row per item and the value printed at the end of each bar: for lists
     * whose labels are long (datasets, features, stages). {@code colors} holds one colour per row.
     */
    static String hbars(String title, List<String> labels, double[] values, String[] colors,
                        DoubleFunction<String> fmt, int width) {
        int n = labels.size();
        double labelW = Math.min(200, 12 + labels.stream().mapToInt(String::length).max().orElse(4) * CHAR_W);
        double valueW = 12;
        for (double v : values) {
            valueW = Math.max(valueW, 10 + fmt.apply(v).length() * CHAR_W);
        }
        double rowH = 22;
        double top = 6;
        int height = (int) Math.ceil(top + n * rowH + 8);
        double barMax = width - labelW - valueW - 12;
        double max = 0;
        for (double v : values) {
            if (finite(v)) {
                max = Math.max(max, v);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(Html.esc(title))
                .append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\"")
                .append(" font-size=\"11\">\n<title>").append(Html.esc(title)).append("</title>\n");
        for (int i = 0; i < n; i++) {
            double y = top + i * rowH;
            double v = finite(values[i]) ? values[i] : 0;
            double w = max <= 0 ? 0 : Math.max(v > 0 ? 1.5 : 0, v / max * barMax);
            String label = labels.get(i);
            String shown = label.length() * CHAR_W + 12 > labelW
                    ? label.substring(0, Math.max(1, (int) ((labelW - 20) / CHAR_W))) + "…" : label;
            sb.append("<text x=\"").append(f(labelW - 8)).append("\" y=\"").append(f(y + rowH / 2 + 3.5))
                    .append("\" text-anchor=\"end\" class=\"tick\"><title>").append(Html.esc(label)).append("</title>")
                    .append(Html.esc(shown)).append("</text>\n");
            sb.append("<rect x=\"").append(f(labelW)).append("\" y=\"").append(f(y + 4)).append("\" width=\"")
                    .append(f(barMax)).append("\" height=\"").append(f(rowH - 8)).append("\" fill=\"#f1f4f7\" rx=\"2\"/>");
            sb.append("<rect x=\"").append(f(labelW)).append("\" y=\"").append(f(y + 4)).append("\" width=\"")
                    .append(f(w)).append("\" height=\"").append(f(rowH - 8)).append("\" rx=\"2\" fill=\"")
                    .append(colors[i % colors.length]).append("\"><title>").append(Html.esc(label)).append(": ")
                    .append(Html.esc(fmt.apply(values[i]))).append("</title></rect>\n");
            sb.append("<text x=\"").append(f(labelW + barMax + 8)).append("\" y=\"").append(f(y + rowH / 2 + 3.5))
                    .append("\" class=\"value\">").append(Html.esc(fmt.apply(values[i]))).append("</text>\n");
        }
        return sb.append("</svg>").toString();
    }
}
