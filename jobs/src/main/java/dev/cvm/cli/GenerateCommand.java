package dev.cvm.cli;

import dev.cvm.config.CvmConfig;
import dev.cvm.generate.DataGenerator;
import dev.cvm.generate.GeneratorParams;
import dev.cvm.pipeline.StepLog;
import dev.cvm.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write synthetic raw inputs that follow the data contract, with known ground truth.",
                "Accounts are simulated in parallel inside Spark; the same seed gives the same data.",
                "Ground truth (parameters and per-account latent traits) goes to OUT/_truth/."})
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--accounts", required = true, paramLabel = "N", description = "Number of accounts.")
    long accounts;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (any Hadoop path).")
    String out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--as-of", converter = RunDateConverter.class, paramLabel = "YYYY-MM-DD",
            description = "Last day of the simulated history (exclusive). Default: today (UTC).")
    LocalDate asOf;

    @Option(names = "--months", defaultValue = "24", paramLabel = "M",
            description = "Months of history (default: ${DEFAULT-VALUE}).")
    int months;

    @Override
    public Integer call() {
        CvmCli.verbose = common.verbose;
        CvmConfig config = CvmConfig.load(common.confFile());
        if (accounts <= 0) {
            throw dev.cvm.CvmException.usage("--accounts must be a positive number, got " + accounts);
        }
        if (months < 3) {
            throw dev.cvm.CvmException.usage("--months must be at least 3, got " + months);
        }
        SparkSession spark = SparkSessions.create(config.spark(), common.verbose);
        LocalDate end = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
        StepLog log = new StepLog(System.out);
        log.stage("generate");
        log.info("  %,d accounts, %d months of history up to %s, seed %d -> %s", accounts, months, end, seed, out);
        Map<String, Long> counts = new DataGenerator(spark, log).generate(new DataGenerator.Request(accounts, out, seed,
                end, months, GeneratorParams.from(config.raw().getConfig("cvm.generate"))));
        log.info("wrote %d datasets to %s (ground truth in %s/_truth)", counts.size(), out, out);
        return 0;
    }
}
