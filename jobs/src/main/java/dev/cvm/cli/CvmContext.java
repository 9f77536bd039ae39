package dev.cvm.cli;

import dev.cvm.config.CvmConfig;
import dev.cvm.pipeline.StepLog;
import dev.cvm.spark.SparkSessions;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;

/** What a stage command works with: the validated config, the session, the warehouse, the run date, the log. */
public record CvmContext(CvmConfig config, SparkSession spark, Warehouse warehouse, LocalDate runDate, StepLog log) {

    static CvmContext open(CommonOptions common, LocalDate runDate) {
        CvmConfig config = CvmConfig.load(common.confFile());
        SparkSession spark = SparkSessions.create(config.spark(), config.catalog(), common.verbose);
        return new CvmContext(config, spark, new Warehouse(spark, config.warehouse()), runDate,
                new StepLog(System.out));
    }

    public CvmContext withRunDate(LocalDate date) {
        return new CvmContext(config, spark, warehouse, date, log);
    }
}
