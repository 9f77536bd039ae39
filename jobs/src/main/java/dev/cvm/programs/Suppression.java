package dev.cvm.programs;

import dev.cvm.CvmException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Who must not be contacted this run: accounts on the suppression list, and accounts contacted within the cool-down.
 * They keep their program in customer_scores (with {@code contact_blocked} saying why) but are never targeted.
 */
public final class Suppression {
    private Suppression() {}

    public static Dataset<Row> load(SparkSession spark, String path) {
        if (path == null || path.isBlank()) {
            return spark.createDataFrame(List.of(), DataTypes.createStructType(List.of(
                    DataTypes.createStructField("account_id", DataTypes.StringType, false))));
        }
        try {
            Dataset<Row> df = path.endsWith(".csv")
                    ? spark.read().option("header", "true").csv(path)
                    : spark.read().parquet(path);
            if (!List.of(df.columns()).contains("account_id")) {
                throw new CvmException("suppression list " + path + " has no account_id column (found "
                        + List.of(df.columns()) + ")");
            }
            return df.select(col("account_id").cast("string")).distinct();
        } catch (CvmException e) {
            throw e;
        } catch (Exception e) {
            throw new CvmException("cannot read the suppression list cvm.programs.suppression-path = " + path
                    + ": " + e.getMessage(), e);
        }
    }

    public static Dataset<Row> apply(Dataset<Row> record, Dataset<Row> suppressed, int cooldownDays) {
        Dataset<Row> flagged = suppressed.withColumn("_suppressed", lit(true));
        Column reason = when(col("_suppressed"), lit("suppression_list"))
                .when(col("days_since_contact").lt(cooldownDays), lit("cooldown"));
        return record.join(flagged, "account_id", "left").withColumn("contact_blocked", reason).drop("_suppressed");
    }
}
