package dev.cvm.report;

import dev.cvm.config.CvmConfig;
import dev.cvm.pipeline.Concurrently;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.SmallFiles;
import dev.cvm.warehouse.Warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code cvm report}: one self-contained HTML file per run date ({@code <warehouse>/reports/cvm-report-D.html}) with
 * the run's input volumes and quarantine, model metrics, CLV distribution, programs and budget, value map, drift and
 * stage timings. Charts are inline SVG and the style sheet is inline: the file opens offline, from any location, in any
 * browser, and can be mailed as it is. Every number comes from an aggregate computed in Spark (see docs/report.md).
 */
public final class RunReport {
    /** How a section came out: rendered, unavailable (its tables are absent) or failed (a bug or a schema surprise). */
    public enum Status { OK, UNAVAILABLE, FAILED }

    public record SectionOutcome(String id, String title, Status status, String message) {}

    public record Result(String path, String html, List<SectionOutcome> sections) {}

    static List<Section> sections() {
        return List.of(new InputsSection(), new ModelsSection(), new ClvSection(), new ProgramsSection(),
                new ValueMapSection(), new DriftSection(), new TimingsSection());
    }

    private final Warehouse warehouse;
    private final CvmConfig config;
    private final StepLog log;

    public RunReport(Warehouse warehouse, CvmConfig config, StepLog log) {
        this.warehouse = warehouse;
        this.config = config;
        this.log = log;
    }

    /** The default location of the report of {@code runDate}. */
    public static String defaultPath(Warehouse warehouse, LocalDate runDate) {
        return warehouse.artifactPath("reports", "cvm-report-" + runDate + ".html");
    }

    /** Renders the report of {@code runDate} and writes it to {@code path} (null: the default path). */
    public Result write(LocalDate runDate, String path) {
        String out = path != null ? path : defaultPath(warehouse, runDate);
        Result r = render(runDate);
        log.run("write report", () -> {
            SmallFiles.write(warehouse.spark().sparkContext().hadoopConfiguration(), out, r.html());
            return null;
        });
        return new Result(out, r.html(), r.sections());
    }

    /**
     * Renders every section, cvm.spark.parallel-steps at a time (each reads its own tables); a section that fails is
     * shown as failed and does not stop the others. The page keeps the sections' order.
     */
    public Result render(LocalDate runDate) {
        ReportInput in = new ReportInput(warehouse, runDate, config);
        List<Rendered> rendered = Concurrently.map(sections(), config.spark().parallelSteps(), s -> render(s, in));
        List<SectionOutcome> outcomes = rendered.stream().map(Rendered::outcome).toList();
        List<String> bodies = rendered.stream().map(Rendered::body).toList();
        return new Result(null, page(runDate, outcomes, bodies), outcomes);
    }

    private record Rendered(SectionOutcome outcome, String body) {}

    private Rendered render(Section s, ReportInput in) {
        try {
            String body = log.run("report: " + s.id(), () -> s.render(in));
            return new Rendered(new SectionOutcome(s.id(), s.title(), Status.OK, null), body);
        } catch (Section.Unavailable u) {
            return new Rendered(new SectionOutcome(s.id(), s.title(), Status.UNAVAILABLE, u.getMessage()),
                    "<div class=\"unavailable\"><strong>Not available for this run.</strong> " + u.getMessage()
                            + "</div>\n");
        } catch (RuntimeException e) {
            String msg = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
            log.info("  warning: report section %s failed: %s", s.id(), msg);
            return new Rendered(new SectionOutcome(s.id(), s.title(), Status.FAILED, msg),
                    "<div class=\"section-error\"><strong>This section could not be rendered.</strong> "
                            + Html.esc(msg) + "</div>\n");
        }
    }

    private String page(LocalDate runDate, List<SectionOutcome> outcomes, List<String> bodies) {
        String generated = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .format(Instant.now().atOffset(ZoneOffset.UTC));
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>cvm run report ").append(runDate).append("</title>\n<style>\n").append(css())
                .append("</style>\n</head>\n<body>\n");
        sb.append("<header class=\"top\"><div class=\"wrap\">")
                .append("<div class=\"brand\">cvm <span>run report</span></div>")
                .append("<dl class=\"meta\"><div><dt>Run date</dt><dd id=\"run-date\">").append(runDate)
                .append("</dd></div><div><dt>Warehouse</dt><dd><code>").append(Html.esc(warehouse.root()))
                .append("</code></dd></div><div><dt>Generated</dt><dd>").append(generated).append("</dd></div></dl>")
                .append("</div></header>\n<main class=\"wrap\">\n");
        sb.append("<nav class=\"toc\" id=\"contents\"><h2>Contents</h2><ol>");
        for (SectionOutcome o : outcomes) {
            sb.append("<li><a href=\"#").append(o.id()).append("\">").append(Html.esc(o.title())).append("</a>");
            if (o.status() == Status.UNAVAILABLE) {
                sb.append(" ").append(Html.badge("not available", "muted"));
            } else if (o.status() == Status.FAILED) {
                sb.append(" ").append(Html.badge("failed", "fail"));
            }
            sb.append("</li>");
        }
        sb.append("</ol></nav>\n");
        for (int i = 0; i < outcomes.size(); i++) {
            SectionOutcome o = outcomes.get(i);
            sb.append("<section id=\"").append(o.id()).append("\" class=\"status-")
                    .append(o.status().name().toLowerCase(java.util.Locale.ROOT)).append("\">\n<h2><span class=\"num\">")
                    .append(i + 1).append("</span>").append(Html.esc(o.title()))
                    .append("<a class=\"up\" href=\"#contents\" title=\"Back to contents\">↑</a></h2>\n")
                    .append(bodies.get(i)).append("</section>\n");
        }
        sb.append("</main>\n<footer class=\"wrap\">Generated by <code>cvm report --run-date ").append(runDate)
                .append("</code>. Every figure is an aggregate of the run's Delta tables; how to read each section: ")
                .append("<code>docs/report.md</code>.</footer>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static String css() {
        try (InputStream in = RunReport.class.getResourceAsStream("report.css")) {
            if (in == null) {
                throw new IllegalStateException("report.css is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
