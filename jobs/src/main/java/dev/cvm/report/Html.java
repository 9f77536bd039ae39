package dev.cvm.report;

import java.util.List;
import java.util.Locale;

/** HTML escaping, number formats and small building blocks shared by the report sections. */
final class Html {
    private Html() {}

    static String esc(Object o) {
        if (o == null) {
            return "";
        }
        String s = o.toString();
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** 1,234,567 */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A number with a sensible number of digits for its size; an en dash for null or NaN. */
    static String num(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        if (v.isInfinite()) {
            return v > 0 ? "∞" : "−∞";
        }
        double a = Math.abs(v);
        String s;
        if (a == 0) {
            s = "0";
        } else if (a >= 1000) {
            s = String.format(Locale.ROOT, "%,.0f", v);
        } else if (a >= 100) {
            s = String.format(Locale.ROOT, "%.1f", v);
        } else if (a >= 1) {
            s = String.format(Locale.ROOT, "%.2f", v);
        } else {
            s = String.format(Locale.ROOT, "%.4f", v);
        }
        return s.replace('-', '−');
    }

    /** A fixed number of decimals. */
    static String fixed(Double v, int decimals) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v).replace('-', '−');
    }

    /** 12.3% */
    static String pct(Double share) {
        if (share == null || share.isNaN() || share.isInfinite()) {
            return "–";
        }
        double p = 100 * share;
        String f = Math.abs(p) > 0 && Math.abs(p) < 0.1 ? "%.2f%%" : "%.1f%%";
        return String.format(Locale.ROOT, f, p).replace('-', '−');
    }

    /** Short axis labels: 950, 1.2k, 3.4M, 0.25. */
    static String compact(double v) {
        double a = Math.abs(v);
        String s;
        if (a >= 1e9) {
            s = trim(String.format(Locale.ROOT, "%.1f", v / 1e9)) + "B";
        } else if (a >= 1e6) {
            s = trim(String.format(Locale.ROOT, "%.1f", v / 1e6)) + "M";
        } else if (a >= 1e4) {
            s = trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
        } else if (a >= 100 || a == 0 || v == Math.rint(v)) {
            s = String.format(Locale.ROOT, "%,.0f", v);
        } else if (a >= 1) {
            s = trim(String.format(Locale.ROOT, "%.2f", v));
        } else {
            s = trim(String.format(Locale.ROOT, "%.3f", v));
        }
        return s.replace('-', '−');
    }

    private static String trim(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** A note in a section: what is missing or how to read something. */
    static String note(String html) {
        return "<p class=\"note\">" + html + "</p>\n";
    }

    /** A figure: the chart and a caption under it. */
    static String figure(String svg, String caption) {
        return "<figure>" + svg + (caption == null ? "" : "<figcaption>" + caption + "</figcaption>") + "</figure>\n";
    }

    static String grid(List<String> cells) {
        StringBuilder sb = new StringBuilder("<div class=\"grid\">\n");
        cells.forEach(sb::append);
        return sb.append("</div>\n").toString();
    }

    /** Key figures in a row of tiles. */
    static String tiles(List<String[]> labelValue) {
        StringBuilder sb = new StringBuilder("<div class=\"tiles\">");
        for (String[] lv : labelValue) {
            sb.append("<div class=\"tile\"><div class=\"tile-value\">").append(esc(lv[1]))
                    .append("</div><div class=\"tile-label\">").append(esc(lv[0])).append("</div></div>");
        }
        return sb.append("</div>\n").toString();
    }

    /** A table builder; cells are HTML (escape text with {@link #esc}). Numeric columns are right-aligned. */
    static final class Table {
        private final StringBuilder sb = new StringBuilder();
        private final boolean[] numeric;

        private Table(String cssClass, String[] headers) {
            numeric = new boolean[headers.length];
            sb.append("<div class=\"table-wrap\"><table class=\"").append(cssClass).append("\"><thead><tr>");
            for (int i = 0; i < headers.length; i++) {
                String h = headers[i];
                if (h.startsWith("#")) {
                    numeric[i] = true;
                    h = h.substring(1);
                }
                sb.append(numeric[i] ? "<th class=\"num\">" : "<th>").append(esc(h)).append("</th>");
            }
            sb.append("</tr></thead><tbody>");
        }

        /** Headers starting with '#' are numeric columns (the '#' is not shown). */
        Table(String... headers) {
            this("data", headers);
        }

        /** A denser table, for several side by side. */
        static Table compact(String... headers) {
            return new Table("compact", headers);
        }

        Table row(String... cells) {
            sb.append("<tr>");
            for (int i = 0; i < cells.length; i++) {
                boolean num = i < numeric.length && numeric[i];
                sb.append(num ? "<td class=\"num\">" : "<td>").append(cells[i] == null ? "" : cells[i]).append("</td>");
            }
            sb.append("</tr>");
            return this;
        }

        String html() {
            return sb + "</tbody></table></div>\n";
        }
    }

    /** A horizontal bar inside a table cell: share in [0, 1] of the cell width. */
    static String inlineBar(double share, String color) {
        double w = Math.max(0, Math.min(1, Double.isNaN(share) ? 0 : share)) * 100;
        return String.format(Locale.ROOT, "<span class=\"ibar\"><span style=\"width:%.1f%%;background:%s\"></span></span>",
                w, color);
    }

    /** A status badge (ok, warn, fail, champion, ...). */
    static String badge(String text, String kind) {
        return "<span class=\"badge badge-" + esc(kind) + "\">" + esc(text) + "</span>";
    }
}
