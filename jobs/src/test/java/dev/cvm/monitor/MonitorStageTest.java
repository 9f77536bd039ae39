package dev.cvm.monitor;

import dev.cvm.config.CvmConfig;
import dev.cvm.features.FeaturesStage;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A feature that shifts between runs is flagged; a stable one is not. */
class MonitorStageTest {
    @TempDir
    Path tmp;

    private static Dataset<Row> snapshot(String shifted) {
        return SparkTestSupport.spark().range(3000).select(
                expr("format_string('A%05d', id)").as("account_id"),
                expr("cast(pmod(hash(id, 1), 100) as double)").as("stable_feature"),
                expr(shifted).as("moving_feature"),
                expr("if(id % 2 = 0, null, 1.0)").as("half_missing"));
    }

    @Test
    void flagsTheShiftedFeatureOnly() {
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), null);
        Warehouse wh = SparkTestSupport.warehouse(config);
        LocalDate previous = LocalDate.parse("2026-01-01");
        LocalDate run = LocalDate.parse("2026-01-02");
        wh.replacePartitions(Table.ACCOUNT_FEATURES,
                snapshot("cast(pmod(hash(id, 2), 100) as double)").withColumn("as_of_date", expr("date'2026-01-01'")),
                previous, "as_of_date", List.of(previous));
        wh.replacePartitions(Table.ACCOUNT_FEATURES,
                snapshot("cast(pmod(hash(id, 2), 100) as double) + 40").withColumn("as_of_date", expr("date'2026-01-02'")),
                run, "as_of_date", List.of(run));
        MonitorStage stage = new MonitorStage(wh, config.features(),
                new FeaturesStage(wh, config.features(), config.valueMap(), SparkTestSupport.log()),
                MonitorSettings.from(config.raw()), SparkTestSupport.log());
        MonitorStage.Outcome o = stage.run(run);
        Map<String, Row> byFeature = new HashMap<>();
        wh.readRunDate(Table.DRIFT, run, "monitor").collectAsList()
                .forEach(r -> byFeature.put(r.getAs("comparison") + "/" + r.getAs("feature"), r));
        assertEquals("fail", byFeature.get("previous_run/moving_feature").getAs("status"));
        assertEquals("ok", byFeature.get("previous_run/stable_feature").getAs("status"));
        assertEquals("ok", byFeature.get("previous_run/half_missing").getAs("status"));
        assertTrue(byFeature.get("previous_run/stable_feature").<Double>getAs("psi") < 0.01);
        assertEquals(1, o.failures());
    }
}
