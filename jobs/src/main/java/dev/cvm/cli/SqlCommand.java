package dev.cvm.cli;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import dev.cvm.publish.CatalogPublisher;
import dev.cvm.publish.SqlQuery;
import dev.cvm.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run a read-only Spark SQL statement over the catalog (the tables `cvm publish` registered)",
                "and print the result as a table. Unqualified names resolve in cvm.catalog.database, e.g.",
                "  bin/cvm sql \"SELECT value_tier, count(*) FROM customer_scores GROUP BY value_tier\"",
                "  bin/cvm sql \"DESCRIBE customer_scores\"",
                "Statements: SELECT, WITH, VALUES, TABLE, SHOW, DESCRIBE, EXPLAIN."})
final class SqlCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "STATEMENT", description = "The SQL statement (quote it for the shell).")
    String statement;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
            description = "Print at most N rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--truncate", defaultValue = "40", paramLabel = "CHARS",
            description = "Cut longer values to this many characters; 0 = never (default: ${DEFAULT-VALUE}).")
    int truncate;

    @Option(names = "--vertical", description = "One block per row (for wide rows such as customer_scores).")
    boolean vertical;

    @Override
    public Integer call() {
        CvmCli.verbose = common.verbose;
        if (limit <= 0) {
            throw CvmException.usage("--limit must be a positive number of rows, got " + limit);
        }
        if (truncate < 0) {
            throw CvmException.usage("--truncate must be 0 or more, got " + truncate);
        }
        SqlQuery.checkReadOnly(statement);
        CvmConfig config = CvmConfig.load(common.confFile());
        SparkSession spark = SparkSessions.create(config.spark(), config.catalog(), common.verbose);
        String database = null;
        if (config.catalog().enabled()) {
            CatalogPublisher.requireCatalog(spark, config.catalog());
            database = config.catalog().database();
        }
        SqlQuery.Result r = SqlQuery.run(spark, config.catalog(), database, statement, limit);
        System.out.print(SqlQuery.render(r, truncate, vertical));
        System.out.flush();
        return 0;
    }
}
