package dev.cvm.report;

import dev.cvm.cli.CvmCli;
import dev.cvm.config.CvmConfig;
import dev.cvm.models.BinaryMetrics;
import dev.cvm.models.ModelRegistry;
import dev.cvm.models.ModelVersion;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.pipeline.RunLog;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run report rendered from fixture tables: content, robustness, the CLI and run_log hook, and a real browser. */
class RunReportTest {
    static final LocalDate RUN = LocalDate.parse("2026-03-01");
    static final List<String> SECTION_IDS = List.of("inputs", "models", "clv", "programs", "value-map", "drift",
            "timings");
    @TempDir
    static Path tmp;
    static CvmConfig config;
    static Warehouse warehouse;
    static RunReport.Result report;

    @BeforeAll
    static void setUp() {
        config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"),
                "cvm.segments.micro { k-min = 3, k-max = 3 }");
        warehouse = SparkTestSupport.warehouse(config);
        ReportFixtures.writeAll(warehouse, config, RUN);
        report = new RunReport(warehouse, config, SparkTestSupport.log()).write(RUN, null);
    }

    static String section(String id) {
        String html = report.html();
        int start = html.indexOf("<section id=\"" + id + "\"");
        assertTrue(start >= 0, "section " + id + " is missing");
        return html.substring(start, html.indexOf("</section>", start));
    }

    @Test
    void everySectionIsRenderedInOrderWithATableOfContents() {
        assertEquals(SECTION_IDS, report.sections().stream().map(RunReport.SectionOutcome::id).toList());
        for (RunReport.SectionOutcome s : report.sections()) {
            assertEquals(RunReport.Status.OK, s.status(), s.id() + ": " + s.message());
        }
        String html = report.html();
        assertFalse(html.contains("class=\"section-error\""));
        for (String id : SECTION_IDS) {
            assertTrue(html.contains("<a href=\"#" + id + "\">"), "contents link to " + id);
        }
        assertTrue(html.contains("<dd id=\"run-date\">" + RUN + "</dd>"));
        assertTrue(html.contains(Html.esc(warehouse.root())), "the header names the warehouse");
        assertTrue(Files.exists(Path.of(RunReport.defaultPath(warehouse, RUN))), "written under <warehouse>/reports");
    }

    @Test
    void inputVolumesAndQuarantineComeFromTheTables() {
        String s = section("inputs");
        for (Map.Entry<DatasetSpec, Integer> e : ReportFixtures.INGESTED.entrySet()) {
            assertTrue(s.contains("<code>" + e.getKey().name() + "</code></td><td class=\"num\">"
                    + Html.count(e.getValue()) + "</td>"), e.getKey().name() + " row count");
        }
        assertFalse(s.contains("<code>holdings</code>"), "a table that does not exist is not listed");
        assertTrue(s.matches("(?s).*negative_value.*<code>amount</code></td><td class=\"num\">14</td>.*"), s);
        assertTrue(s.contains("rows quarantined</div>") && s.contains(">24</div>"), "24 rows quarantined in all");
    }

    @Test
    void modelSectionShowsTheChampionsOfTheRealRegistry() {
        String s = section("models");
        assertTrue(s.contains("churn v2") && s.contains("upsell_tv v1"));
        assertFalse(s.contains("churn v1"), "v1 was retired when v2 became champion");
        for (ModelVersion v : new ModelRegistry(warehouse).all()) {
            if (v.status().equals(ModelVersion.CHAMPION)) {
                String auc = Html.fixed(v.metric("roc_auc"), 3);
                assertTrue(s.contains("(AUC " + auc + ")"), v.name() + ": legend carries the stored AUC " + auc);
                assertTrue(s.contains(Html.fixed(v.metric("brier"), 4)), v.name() + " Brier");
            }
        }
        assertTrue(s.contains("aria-label=\"ROC curves of the champion models\""));
        assertTrue(s.contains("aria-label=\"Lift by score decile of the champion models\""));
        assertTrue(s.contains("aria-label=\"Reliability of the champion models\""));
        assertFalse(s.contains("No evaluation tables"), "every champion's details parse into curves");
    }

    @Test
    void curvesAreReadFromTheTrainStagesDetails() {
        ModelVersion churn = new ModelRegistry(warehouse).champion("churn").orElseThrow();
        ModelCurves c = ModelCurves.of(churn);
        assertEquals(10, c.deciles().size());
        assertFalse(c.reliability().isEmpty());
        // The decile table's top-decile lift is the registry's metric of the same name.
        assertEquals(churn.metric("lift_top_decile"), c.deciles().get(0).lift(), 1e-9);
        assertEquals(new ModelCurves.Point(1, 1), c.roc().get(c.roc().size() - 1));
    }

    @Test
    void rocCurveFromDecilesEndsAtOneAndIsMonotone() {
        List<BinaryMetrics.Decile> d = List.of(decile(1, 10, 6), decile(2, 10, 3), decile(3, 10, 1));
        List<ModelCurves.Point> roc = ModelCurves.rocFromDeciles(d);
        assertEquals(4, roc.size());
        assertEquals(new ModelCurves.Point(0, 0), roc.get(0));
        // decile 1: 6 of 10 positives found, 4 of 20 negatives flagged
        assertEquals(0.6, roc.get(1).y(), 1e-12);
        assertEquals(0.2, roc.get(1).x(), 1e-12);
        assertEquals(new ModelCurves.Point(1, 1), roc.get(3));
    }

    private static BinaryMetrics.Decile decile(int decile, long count, long positives) {
        // Only count and positives enter the ROC; the other fields are not read.
        return new BinaryMetrics.Decile(decile, count, positives, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void malformedDetailsFailLoudly() {
        ModelVersion v = new ModelRegistry(warehouse).champion("churn").orElseThrow();
        ModelVersion broken = new ModelVersion(v.name(), v.version(), v.status(), v.trainedAt(), v.runDate(),
                v.target(), v.family(), v.trainingAsOfDates(), v.holdoutAsOfDate(), v.validationAsOfDate(),
                v.features(), v.params(), v.metrics(), "{\"deciles\": [{\"rank\": 1}]}", v.artifactPath(),
                v.promotionReason(), v.promotedAt(), v.replacedVersion(), v.statusChangedAt());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelCurves.of(broken));
        assertTrue(e.getMessage().contains("churn v2"), e.getMessage());
    }

    @Test
    void clvAndProgramFiguresMatchSparkAggregates() {
        String clv = section("clv");
        assertTrue(clv.contains(">" + Html.count(ReportFixtures.N) + "</div><div class=\"tile-label\">accounts valued"),
                clv);
        double total = warehouse.readRunDate(Table.CUSTOMER_CLV, RUN, "clv").agg(sum("total_clv")).first().getDouble(0);
        assertTrue(clv.contains(Html.num(total)), "total CLV " + Html.num(total));
        for (String tier : List.of("platinum", "gold", "silver", "bronze", "standard")) {
            assertTrue(clv.contains("<strong>" + tier + "</strong>"), tier);
        }

        String p = section("programs");
        List<Row> spend = warehouse.readRunDate(Table.CAMPAIGN_TARGETS, RUN, "segment").groupBy("program")
                .agg(sum("cost"), sum("expected_value")).collectAsList();
        assertFalse(spend.isEmpty());
        for (Row r : spend) {
            String row = p.substring(p.indexOf("<strong>" + r.getString(0) + "</strong>"));
            row = row.substring(0, row.indexOf("</tr>"));
            assertTrue(row.contains(Html.num(r.getDouble(1))), r.getString(0) + " spend " + row);
            assertTrue(row.contains(Html.pct(r.getDouble(2) / r.getDouble(1))), r.getString(0) + " ROI " + row);
        }
        assertTrue(p.contains("RFM segments") && p.contains("Micro-segments (k-means)"));
    }

    @Test
    void valueMapDriftAndTimings() {
        String vm = section("value-map");
        assertTrue(vm.contains("aria-label=\"Customer value map: quality ratio against price ratio per segment\""));
        assertTrue(vm.contains("suppressed (too few respondents)"), "the suppressed segment is listed, not plotted");
        assertTrue(vm.contains(">basic</text>"), "points are labelled with their segment");

        String drift = section("drift");
        String flagged = drift.substring(drift.indexOf("Features over a threshold"), drift.indexOf("Back-tests"));
        assertTrue(flagged.contains("usage_avg_3m") && flagged.contains("txn_amount_365d")
                && flagged.contains("response_rate"));
        assertFalse(flagged.contains("recency_days"), "ok features are not in the flagged table");
        assertTrue(flagged.indexOf("usage_avg_3m") < flagged.indexOf("txn_amount_365d"), "largest PSI first");
        assertTrue(drift.contains(">19</div><div class=\"tile-label\">PSI checks"), "9 features x 2 + 1 score");
        String backtest = drift.substring(drift.indexOf("Back-tests"));
        assertTrue(backtest.contains("2025-11-20") && backtest.contains("0.781"), "the back-test row");

        String t = section("timings");
        for (String stage : List.of("ingest", "value-map", "features", "clv", "score", "segment")) {
            assertTrue(t.contains("<strong>" + stage + "</strong>"), stage);
        }
        assertTrue(t.contains("validate transactions"));
    }

    @Test
    void chartsAreWellFormedSvgAndTheFileIsSelfContained() throws Exception {
        String html = report.html();
        Matcher m = Pattern.compile("<svg[\\s>].*?</svg>", Pattern.DOTALL).matcher(html);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        int charts = 0;
        while (m.find()) {
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)));
            assertEquals("svg", doc.getDocumentElement().getLocalName());
            charts++;
        }
        assertTrue(charts >= 9, "charts: " + charts);
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        for (String external : List.of("<script", "<link", "<img", "<iframe", "src=", "url(", "@import",
                "href=\"http", "href=\"//")) {
            assertFalse(lower.contains(external), "the report must not load anything: found " + external);
        }
        assertFalse(html.contains("NaN") || html.contains("Infinity"), "no NaN or Infinity in the output");
    }

    @Test
    void absentTablesAreReportedAsNotAvailable() {
        CvmConfig empty = SparkTestSupport.config(tmp.resolve("empty-wh"), tmp.resolve("in"), null);
        RunReport.Result r = new RunReport(SparkTestSupport.warehouse(empty), empty, SparkTestSupport.log()).render(RUN);
        for (RunReport.SectionOutcome s : r.sections()) {
            assertEquals(RunReport.Status.UNAVAILABLE, s.status(), s.id());
        }
        assertTrue(r.html().contains("Not available for this run."));
    }

    @Test
    void aRunDateWithoutRowsSaysSoAndFailsNothing() {
        RunReport.Result r = new RunReport(warehouse, config, SparkTestSupport.log()).render(RUN.plusDays(1));
        Map<String, RunReport.Status> status = r.sections().stream()
                .collect(Collectors.toMap(RunReport.SectionOutcome::id, RunReport.SectionOutcome::status));
        assertFalse(status.containsValue(RunReport.Status.FAILED), status.toString());
        // The registry is not per run date: its champions are shown for any date.
        assertEquals(RunReport.Status.OK, status.get("models"));
        for (String id : List.of("inputs", "programs", "value-map", "drift", "timings")) {
            assertEquals(RunReport.Status.UNAVAILABLE, status.get(id), id);
        }
    }

    @Test
    void theCommandWritesTheReportAndItsTimingsGoToRunLog() throws Exception {
        Path conf = tmp.resolve("cvm.conf");
        Files.writeString(conf, "cvm { warehouse = \"" + tmp.resolve("wh") + "\", input.root = \"" + tmp.resolve("in")
                + "\" }\n");
        Path out = tmp.resolve("elsewhere/report.html");
        assertEquals(0, CvmCli.execute("report", "--conf", conf.toString(), "--run-date", RUN.toString(),
                "--out", out.toString()));
        assertTrue(Files.readString(out).contains("<section id=\"timings\""));
        List<Row> log = warehouse.readRunDate(Table.RUN_LOG, RUN, "run").collectAsList();
        assertTrue(log.stream().anyMatch(r -> r.getAs(RunLog.STAGE).equals("report")
                && r.<String>getAs("step").equals("write report")), "the report's own steps are recorded");
        // Replacing the report stage's rows leaves the other stages alone.
        assertEquals(ReportFixtures.timings(RUN).size(), log.stream().filter(r -> !r.getAs(RunLog.STAGE).equals("report"))
                .count());
        // Re-recording a stage replaces its rows instead of adding to them.
        long before = stageRows("report");
        RunLog.record(warehouse, RUN, List.of(new dev.cvm.pipeline.StepLog.Timing("write report", 0.1, -1, "report",
                java.time.Instant.now())), "report", SparkTestSupport.log());
        assertEquals(1, stageRows("report"), "was " + before);
        assertEquals(ReportFixtures.timings(RUN).size(), warehouse.readRunDate(Table.RUN_LOG, RUN, "run").count() - 1);
    }

    static long stageRows(String stage) {
        return warehouse.readRunDate(Table.RUN_LOG, RUN, "run").where(col(RunLog.STAGE).equalTo(stage)).count();
    }

    @Test
    void opensInHeadlessChromiumWithEverySectionAndNoConsoleError() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.forTest();
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        Files.createDirectories(target);
        Path html = target.resolve("report.html");
        Files.copy(Path.of(report.path()), html, StandardCopyOption.REPLACE_EXISTING);
        Path work = tmp.resolve("browser");

        // Control: the console scan sees a page's errors, so an empty scan below means something.
        Path probe = work.resolve("probe.html");
        Files.createDirectories(work);
        Files.writeString(probe, "<!DOCTYPE html><html><body><script>console.error('cvm-probe');</script></body></html>");
        HeadlessChromium.Run control = chromium.dumpDom(probe, work);
        assertTrue(control.consoleLines().stream().anyMatch(l -> l.contains("cvm-probe")),
                "chromium did not log the probe's console error to stderr; the console check would be blind:\n"
                        + control.stderr());

        HeadlessChromium.Run dom = chromium.dumpDom(html, work);
        assertEquals(0, dom.exitCode(), dom.stderr());
        assertEquals(List.of(), dom.consoleLines(), "console messages while loading the report");
        for (String id : SECTION_IDS) {
            assertTrue(dom.stdout().contains("<section id=\"" + id + "\""), "rendered DOM has section " + id);
        }
        assertTrue(dom.stdout().contains("id=\"contents\""), "rendered DOM has the table of contents");
        assertTrue(dom.stdout().split("<svg", -1).length - 1 >= 9, "rendered DOM has the charts");

        Path png = target.resolve("report.png");
        Files.deleteIfExists(png);
        HeadlessChromium.Run shot = chromium.screenshot(html, png, 1280, 4000, work);
        assertEquals(0, shot.exitCode(), shot.stderr());
        assertTrue(Files.exists(png) && Files.size(png) > 50_000, "screenshot " + png + " written");
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
    }
}
