package dev.cvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.config.CvmConfig;
import dev.cvm.warehouse.SmallFiles;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run every stage on the committed sample data (data-samples/) into the local warehouse,",
                "then print the tables written, where, and their row counts."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--run-date", converter = RunDateConverter.class, paramLabel = "YYYY-MM-DD",
            description = "Run date. Default: the as-of date the sample was generated for.")
    LocalDate runDate;

    @Override
    public Integer call() {
        CvmCli.verbose = common.verbose;
        CvmConfig config = CvmConfig.load(common.confFile());
        LocalDate date = runDate != null ? runDate : sampleAsOf(config);
        CvmContext ctx = CvmContext.open(common, date);
        ctx.log().info("cvm demo: sample data %s, run date %s, warehouse %s", config.inputRoot(), date,
                config.warehouse());
        IngestCommand.runIngest(ctx);
        ValueMapCommand.runValueMap(ctx);
        FeaturesCommand.runFeatures(ctx, java.util.List.of(date), true);
        ClvCommand.runClv(ctx);
        // Models are trained only when they have no champion yet, so a re-run of the demo does not retrain.
        TrainCommand.runTrain(ctx, "all", true);
        ScoreCommand.runScore(ctx);
        SegmentCommand.runSegment(ctx);
        ctx.log().stage("publish " + date + " (catalog)");
        PublishCommand.runCatalog(ctx);
        MonitorCommand.runMonitor(ctx);
        printTables(ctx.warehouse(), date);
        String report = ReportCommand.runReport(ctx);
        System.out.println();
        System.out.println("Run report (open it in a browser): " + report);
        return 0;
    }

    /** The sample records its as-of date in its ground truth; the demo runs for that date so it is reproducible. */
    private static LocalDate sampleAsOf(CvmConfig config) {
        String path = config.inputRoot() + "/_truth/params.json";
        try {
            JsonNode node = new ObjectMapper().readTree(SmallFiles.read(new org.apache.hadoop.conf.Configuration(), path));
            return LocalDate.parse(node.get("as_of").asText());
        } catch (IOException | RuntimeException e) {
            throw new dev.cvm.CvmException("cannot read the sample's as-of date from " + path
                    + " (" + e.getMessage() + "); pass --run-date");
        }
    }

    static void printTables(Warehouse warehouse, LocalDate date) {
        System.out.println();
        System.out.println("Tables for run date " + date + " under " + warehouse.root() + "/delta:");
        for (Table t : Table.values()) {
            if (warehouse.exists(t)) {
                long n = warehouse.read(t).where(col(Table.RUN_DATE).equalTo(lit(date))).count();
                System.out.printf("  %-24s %,12d rows   %s%n", t.tableName(), n, warehouse.path(t));
            }
        }
    }
}
