package dev.cvm.clv;

import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cvm.testing.Fixtures.d;
import static dev.cvm.testing.Fixtures.row;
import static dev.cvm.testing.Fixtures.ts;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RfmSummaryTest {
    static final RfmSummary.Columns COLS = new RfmSummary.Columns("customer_id", "date", "amount");

    static Dataset<Row> dated(Row... rows) {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("customer_id", DataTypes.StringType, true),
                DataTypes.createStructField("date", DataTypes.DateType, true),
                DataTypes.createStructField("amount", DataTypes.DoubleType, true)));
        return SparkTestSupport.spark().createDataFrame(List.of(rows), schema);
    }

    static Map<String, Row> byId(Dataset<Row> summary) {
        Map<String, Row> m = new HashMap<>();
        summary.collectAsList().forEach(r -> m.put(r.getAs("id"), r));
        return m;
    }

    @Test
    void lifetimesFixtureInDays() {
        // REFERENCE.md 6.1 fixture A, observation end 2015-02-07, daily units.
        Dataset<Row> t = dated(row("1", d("2015-02-01"), 1.0), row("1", d("2015-02-06"), 2.0),
                row("2", d("2015-01-01"), 3.0), row("3", d("2015-01-01"), 4.0), row("3", d("2015-01-02"), 5.0),
                row("3", d("2015-01-05"), 6.0));
        Map<String, Row> s = byId(RfmSummary.summarize(t, COLS, d("2015-02-07"), null, TimeUnit.DAY));
        assertEquals(List.of(1, 5.0, 6.0), List.of(s.get("1").getAs("x"), s.get("1").getAs("t_x"), s.get("1").getAs("T")));
        assertEquals(List.of(0, 0.0, 37.0), List.of(s.get("2").getAs("x"), s.get("2").getAs("t_x"), s.get("2").getAs("T")));
        assertEquals(List.of(2, 4.0, 37.0), List.of(s.get("3").getAs("x"), s.get("3").getAs("t_x"), s.get("3").getAs("T")));
        assertEquals(2.0, (double) s.get("1").getAs("m"));
        assertNull(s.get("2").getAs("m"), "m is null without repeat purchases");
        assertEquals(5.5, (double) s.get("3").getAs("m"));
    }

    @Test
    void sameDayMergedFirstPurchaseExcludedOrderIrrelevant() {
        // REFERENCE.md 6.1: sales 10, 20, 25 on 2014-03-14, 04-09, 05-21 in any order -> m = 22.5.
        Dataset<Row> t = dated(row("c", d("2014-05-21"), 25.0), row("c", d("2014-03-14"), 10.0),
                row("c", d("2014-04-09"), 12.0), row("c", d("2014-04-09"), 8.0), row("c", d("2014-03-14"), 0.0));
        Row r = RfmSummary.summarize(t, COLS, d("2014-06-30"), null, TimeUnit.WEEK).first();
        assertEquals(2, (int) r.getAs("x"));
        assertEquals(22.5, (double) r.getAs("m"), 1e-12);
        assertEquals((LocalDate) d("2014-03-14"), r.getAs("first_purchase_date"));
        assertEquals(68 / 7.0, (double) r.getAs("t_x"), 1e-12);
        assertEquals(108 / 7.0, (double) r.getAs("T"), 1e-12);
    }

    @Test
    void calibrationAndHoldoutBoundaries() {
        // The calibration end is inclusive; the holdout is (end, holdout end]; later rows are ignored; a customer
        // first seen in the holdout is not in the summary.
        Dataset<Row> t = dated(row("a", d("2020-01-01"), 1.0), row("a", d("2020-01-31"), 1.0),
                row("a", d("2020-02-01"), 1.0), row("a", d("2020-02-10"), 1.0), row("a", d("2020-02-10"), 1.0),
                row("a", d("2020-02-11"), 1.0), row("b", d("2020-02-05"), 1.0), row(null, d("2020-01-05"), 1.0),
                row("c", null, 1.0));
        Dataset<Row> s = RfmSummary.summarize(t, COLS, d("2020-01-31"), d("2020-02-10"), TimeUnit.DAY);
        Map<String, Row> m = byId(s);
        assertEquals(1, m.size());
        assertEquals(1, (int) m.get("a").getAs("x"));
        assertEquals(2, (int) m.get("a").getAs("x_holdout"));
        assertEquals(1, RfmSummary.countFirstPurchaseAfter(t, COLS, d("2020-01-31"), d("2020-02-10")));
        assertThrows(IllegalArgumentException.class,
                () -> RfmSummary.summarize(t, COLS, d("2020-01-31"), d("2020-01-31"), TimeUnit.DAY));
    }

    @Test
    void timestampsUseTheirUtcDate() {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("customer_id", DataTypes.StringType, true),
                DataTypes.createStructField("date", DataTypes.TimestampType, true),
                DataTypes.createStructField("amount", DataTypes.DoubleType, true)));
        Dataset<Row> t = SparkTestSupport.spark().createDataFrame(List.of(
                row("a", ts("2020-01-01T08:00:00Z"), 5.0), row("a", ts("2020-01-01T23:59:00Z"), 5.0),
                row("a", ts("2020-01-02T00:01:00Z"), 7.0)), schema);
        Row r = RfmSummary.summarize(t, COLS, d("2020-01-08"), null, TimeUnit.DAY).first();
        assertEquals(1, (int) r.getAs("x"));
        assertEquals(7.0, (double) r.getAs("m"));
        assertEquals(7.0, (double) r.getAs("T"));
    }

    @Test
    void reproducesTheCdnowSummaryFilesExactly() {
        // cdnow_customers_summary_with_transactions.csv (ID,x,t_x,T,zbar; x, t_x, T as in cdnow_customers_summary.csv)
        // rebuilt from CDNOW_sample.txt: every x exactly, t_x, T and zbar to 2 dp.
        SparkSession spark = SparkTestSupport.spark();
        Dataset<Row> raw = FitInput.read(spark, CdnowData.file("CDNOW_sample.txt").toString(),
                FitInput.Format.WHITESPACE, List.of("masterid", "id", "date", "cds", "amount"), false);
        Dataset<Row> txns = raw.select(col("id").as("customer_id"),
                FitInput.parseDate(col("date"), DataTypes.StringType, null).as("date"),
                col("amount").cast(DataTypes.DoubleType).as("amount"));
        Dataset<Row> s = RfmSummary.summarize(txns, COLS, d("1997-09-30"), null, TimeUnit.WEEK)
                .withColumn("num", col("id").cast(DataTypes.IntegerType)).drop("id");
        Dataset<Row> file = spark.read().option("header", "true").option("inferSchema", "true")
                .csv(CdnowData.file("cdnow_customers_summary_with_transactions.csv").toString())
                .toDF("num", "fx", "ftx", "fT", "zbar");
        Dataset<Row> plain = spark.read().option("header", "true").option("inferSchema", "true")
                .csv(CdnowData.file("cdnow_customers_summary.csv").toString())
                .toDF("num", "frequency", "recency", "pT");
        assertEquals(2357, s.count());
        Dataset<Row> joined = s.join(file, "num").join(plain, "num");
        assertEquals(2357, joined.count());
        // "Equal to 2 dp" = within half a cent/hundredth: the file's rounding of ties (22.345 -> 22.35) depends on
        // binary representation, so a tie may go either way.
        double half = 0.005 + 1e-9;
        long mismatches = joined.where(col("x").notEqual(col("fx")).or(col("x").notEqual(col("frequency")))
                .or(abs(col("t_x").minus(col("ftx"))).gt(half)).or(abs(col("t_x").minus(col("recency"))).gt(half))
                .or(abs(col("T").minus(col("fT"))).gt(half)).or(abs(col("T").minus(col("pT"))).gt(half))
                .or(abs(coalesce(col("m"), lit(0.0)).minus(col("zbar"))).gt(half))).count();
        assertEquals(0, mismatches);
        Row tot = s.agg(sum("x"), count(when(col("x").gt(0), lit(1)))).first();
        assertEquals(2457L, tot.getLong(0));
        assertEquals(946L, tot.getLong(1));
    }
}
