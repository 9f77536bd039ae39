package dev.cvm.cli;

import dev.cvm.pipeline.RunLog;
import dev.cvm.report.RunReport;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"The run report: one self-contained HTML file for the run date (charts inline, opens offline)",
                "with input volumes and quarantine, model metrics, CLV distribution, programs and budget, value map,",
                "drift and stage timings; sections whose tables are absent say so. Prints the file's path.",
                "Default location: <warehouse>/reports/cvm-report-<run date>.html. How to read it: docs/report.md."})
final class ReportCommand extends StageCommand {
    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here instead (any Hadoop path).")
    String out;

    @Override
    void run(CvmContext ctx) {
        runReport(ctx, out);
    }

    static String runReport(CvmContext ctx) {
        return runReport(ctx, null);
    }

    /** Writes the report and prints where; returns the (qualified) path. */
    static String runReport(CvmContext ctx, String out) {
        ctx.log().stage("report " + ctx.runDate());
        // The timings of the stages run so far in this process (cvm run, cvm demo) belong in this report.
        RunLog.record(ctx.warehouse(), ctx.runDate(), ctx.log().timings(), "report", ctx.log());
        RunReport.Result r = new RunReport(ctx.warehouse(), ctx.config(), ctx.log()).write(ctx.runDate(), out);
        r.sections().stream().filter(s -> s.status() != RunReport.Status.OK).forEach(s ->
                ctx.log().info("  %-42s %s", s.id(), s.status() == RunReport.Status.FAILED
                        ? "FAILED: " + s.message() : "not available"));
        String path = qualified(ctx, r.path());
        ctx.log().info("Run report for %s: %s", ctx.runDate(), path);
        return path;
    }

    /** An absolute path for a local file (one can paste it into a browser), the full URI otherwise. */
    private static String qualified(CvmContext ctx, String path) {
        try {
            Path p = new Path(path);
            Path q = p.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration()).makeQualified(p);
            return "file".equals(q.toUri().getScheme()) ? q.toUri().getPath() : q.toString();
        } catch (IOException | RuntimeException e) {
            return path;
        }
    }
}
