package dev.cvm.segments;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import dev.cvm.programs.ProgramAssignment;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cvm.testing.Fixtures.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segment and program rules on hand-made records. */
class SegmentRulesTest {
    static final CvmConfig CONFIG = CvmConfig.parse("""
            cvm.segments.custom = [ { name = digital, default = offline,
              rules = [ { segment = app_first, when = "response_rate_app > 0.3" },
                        { segment = email_ok, when = "response_rate_email > 0.1" } ] } ]
            """);

    @Test
    void valueTiersFollowTheConfiguredShares() {
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            rows.add(row("A" + i, (double) i));
        }
        rows.add(row("Z", 0.0));
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("account_id", DataTypes.StringType, false),
                DataTypes.createStructField("clv", DataTypes.DoubleType, false)));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, schema);
        var s = CONFIG.segments();
        double[] cuts = ValueTiers.cuts(df, "clv", s.tiers());
        Map<String, Long> counts = new HashMap<>();
        df.withColumn("tier", ValueTiers.tier(col("clv"), cuts, s.tiers(), s.restTier()))
                .groupBy("tier").count().collectAsList().forEach(r -> counts.put(r.getString(0), r.getLong(1)));
        // 1001 accounts: cumulative top shares 1/5/20/50% -> about 10, 40, 150, 300, and the rest.
        assertEquals(11, counts.get("platinum"), 2);
        assertEquals(40, counts.get("gold"), 2);
        assertEquals(150, counts.get("silver"), 3);
        assertEquals(300, counts.get("bronze"), 3);
        assertEquals(1001, counts.values().stream().mapToLong(Long::longValue).sum());
        assertTrue(df.withColumn("tier", ValueTiers.tier(col("clv"), cuts, s.tiers(), s.restTier()))
                .where("account_id = 'Z'").first().<String>getAs("tier").equals("standard"), "zero CLV is never tiered");
    }

    @Test
    void rfmRulesFirstMatchWins() {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("r_score", DataTypes.IntegerType, false),
                DataTypes.createStructField("f_score", DataTypes.IntegerType, false),
                DataTypes.createStructField("m_score", DataTypes.IntegerType, false)));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(List.of(
                row(5, 5, 5), row(5, 5, 1), row(1, 5, 3), row(1, 1, 1), row(2, 4, 2), row(3, 2, 2)), schema);
        List<String> names = df.select(RfmSegments.segment(CONFIG.segments())).as(Encoders.STRING()).collectAsList();
        assertEquals(List.of("Champions", "Loyal", "Can't lose them", "Lost", "At risk", "Need attention"), names);
    }

    @Test
    void rfmScoresAreQuintilesWithRecencyReversed() {
        assertEquals(5, (int) SparkTestSupport.spark().range(1).select(
                RfmSegments.score(lit(1.0), new double[] {2, 3, 4, 5}, true)).first().getInt(0));
        assertEquals(1, (int) SparkTestSupport.spark().range(1).select(
                RfmSegments.score(lit(9.0), new double[] {2, 3, 4, 5}, true)).first().getInt(0));
        assertEquals(3, (int) SparkTestSupport.spark().range(1).select(
                RfmSegments.score(lit(3.5), new double[] {2, 3, 4, 5}, false)).first().getInt(0));
    }

    @Test
    void customSchemesAreEvaluatedInOrder() {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("response_rate_app", DataTypes.DoubleType, true),
                DataTypes.createStructField("response_rate_email", DataTypes.DoubleType, true)));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(List.of(
                row(0.5, 0.5), row(0.1, 0.5), row(null, null)), schema);
        List<String> segs = CustomSchemes.apply(df, CONFIG.segments()).select("custom_digital")
                .as(Encoders.STRING()).collectAsList();
        assertEquals(List.of("app_first", "email_ok", "offline"), segs);
    }

    @Test
    void badUserSqlNamesTheRule() {
        CvmConfig bad = CvmConfig.parse("cvm.segments.custom = [ { name = x, rules = [ { segment = s, when = \"no_such_col > 1\" } ] } ]");
        Dataset<Row> df = SparkTestSupport.spark().range(1).toDF("id");
        CvmException e = assertThrows(CvmException.class, () -> CustomSchemes.apply(df, bad.segments()));
        assertTrue(e.getMessage().contains("segment scheme x, rule s") && e.getMessage().contains("no_such_col"),
                e.getMessage());
    }

    @Test
    void programsTakeTheFirstMatchingRule() {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("account_id", DataTypes.StringType, false),
                DataTypes.createStructField("account_status", DataTypes.StringType, false),
                DataTypes.createStructField("churn_probability", DataTypes.DoubleType, true),
                DataTypes.createStructField("value_at_risk", DataTypes.DoubleType, false),
                DataTypes.createStructField("recency_days", DataTypes.IntegerType, true),
                DataTypes.createStructField("txn_amount_life", DataTypes.DoubleType, false),
                DataTypes.createStructField("upside", DataTypes.DoubleType, false),
                DataTypes.createStructField("best_upsell_product", DataTypes.StringType, true),
                DataTypes.createStructField("value_tier", DataTypes.StringType, false),
                DataTypes.createStructField("clv", DataTypes.DoubleType, false)));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(List.of(
                row("risk", "active", 0.5, 50.0, 10, 500.0, 10.0, "tv", "gold", 100.0),
                row("lapsed", "closed", null, 0.0, 400, 500.0, 0.0, null, "standard", 0.0),
                row("grow", "active", 0.05, 1.0, 10, 50.0, 10.0, "tv", "silver", 20.0),
                row("vip", "active", 0.05, 5.0, 3, 900.0, 0.5, null, "platinum", 100.0),
                row("rest", "active", 0.05, 0.1, 3, 20.0, 0.0, null, "standard", 1.0)), schema);
        Map<String, Row> byId = new HashMap<>();
        ProgramAssignment.assign(df, CONFIG.programs()).collectAsList().forEach(r -> byId.put(r.getAs("account_id"), r));
        assertEquals("retention", byId.get("risk").getAs("program"));
        assertEquals(15.0, byId.get("risk").<Double>getAs("program_value"), 1e-12);   // value_at_risk * 0.3
        assertEquals("winback", byId.get("lapsed").getAs("program"));
        assertEquals("upsell", byId.get("grow").getAs("program"));
        assertEquals("tv", byId.get("grow").getAs("offer"));
        assertEquals("loyalty", byId.get("vip").getAs("program"));
        assertEquals("nurture", byId.get("rest").getAs("program"));
    }
}
