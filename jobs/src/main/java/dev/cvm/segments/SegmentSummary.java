package dev.cvm.segments;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/** Per scheme and segment: accounts, CLV (total, mean, share), mean churn probability, value at risk, profile. */
final class SegmentSummary {
    private SegmentSummary() {}

    static Dataset<Row> build(Dataset<Row> scores, SegmentSettings s, List<MicroSegments.Profile> profiles) {
        List<String> schemes = new ArrayList<>(List.of("value_tier", "rfm_segment", "micro_segment", "program"));
        s.custom().forEach(c -> schemes.add("custom_" + c.name()));
        Column clv = col(ScoredRecord.CLV);
        Row totalRow = scores.agg(ExactSums.sum(clv, ExactSums.MONEY)).first();
        double total = totalRow.isNullAt(0) ? 0 : totalRow.getDouble(0);
        Dataset<Row> out = null;
        for (String scheme : schemes) {
            Dataset<Row> part = scores.groupBy(col(scheme).cast("string").as("segment")).agg(
                            count(lit(1)).as("accounts"),
                            ExactSums.sum(clv, ExactSums.MONEY).as("total_clv"),
                            ExactSums.avg(clv, ExactSums.MONEY).as("mean_clv"),
                            ExactSums.avg(col(ScoredRecord.CHURN), ExactSums.FINE).as("mean_churn_probability"),
                            ExactSums.sum(col("value_at_risk"), ExactSums.MONEY).as("total_value_at_risk"))
                    .withColumn("share_of_clv", total == 0 ? lit(null).cast("double") : col("total_clv").divide(total))
                    .withColumn("scheme", lit(scheme));
            out = out == null ? part : out.unionByName(part);
        }
        List<Row> p = profiles.stream().map(x -> RowFactory.create(String.valueOf(x.segment()), x.description())).toList();
        Dataset<Row> profileDf = scores.sparkSession().createDataFrame(p, DataTypes.createStructType(List.of(
                DataTypes.createStructField("segment", DataTypes.StringType, false),
                DataTypes.createStructField("profile", DataTypes.StringType, false))))
                .withColumn("scheme", lit("micro_segment"));
        return out.join(profileDf, new String[] {"scheme", "segment"}, "left")
                .select("scheme", "segment", "accounts", "total_clv", "mean_clv", "share_of_clv",
                        "mean_churn_probability", "total_value_at_risk", "profile");
    }
}
