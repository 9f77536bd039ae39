package dev.cvm.segments;

import dev.cvm.CvmException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/** User-defined segmentation schemes from config: ordered SQL rules over the scored record, first match wins. */
public final class CustomSchemes {
    private CustomSchemes() {}

    public static Dataset<Row> apply(Dataset<Row> df, SegmentSettings s) {
        Dataset<Row> out = df;
        for (SegmentSettings.CustomScheme scheme : s.custom()) {
            Column result = null;
            for (SegmentSettings.CustomRule rule : scheme.rules()) {
                Column cond = checked(df, "segment scheme " + scheme.name() + ", rule " + rule.segment(), rule.when());
                result = result == null ? when(cond, lit(rule.segment())) : result.when(cond, lit(rule.segment()));
            }
            Column seg = result == null ? lit(scheme.defaultSegment()) : result.otherwise(lit(scheme.defaultSegment()));
            out = out.withColumn("custom_" + scheme.name(), seg);
        }
        return out;
    }

    /** Parses and type-checks a user's SQL expression against the record, or fails naming where it came from. */
    public static Column checked(Dataset<Row> df, String where, String sql) {
        try {
            Column c = expr(sql);
            df.select(c).schema();
            return c;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new CvmException(where + ": '" + sql + "' is not a valid SQL expression over the scored record ("
                    + msg + ")");
        }
    }
}
