package dev.cvm.segments;

import dev.cvm.spark.StableQuantiles;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Value tiers from CLV rank. The cut points are approximate quantiles (relative error 1e-4, {@link StableQuantiles}:
 * the same on any cluster layout), so only a handful of numbers reach the driver; accounts tied at a cut share the
 * higher tier. An account with no positive CLV is never in a named tier.
 */
public final class ValueTiers {
    private ValueTiers() {}

    public static double[] cuts(Dataset<Row> df, String valueCol, List<SegmentSettings.Tier> tiers) {
        double[] probs = tiers.stream().mapToDouble(t -> 1.0 - t.topShare()).toArray();
        return StableQuantiles.of(df.where(col(valueCol).isNotNull()), valueCol, probs, 1e-4);
    }

    public static Column tier(Column value, double[] cuts, List<SegmentSettings.Tier> tiers, String restTier) {
        Column result = null;
        for (int i = 0; i < tiers.size(); i++) {
            if (cuts.length <= i) {
                break;
            }
            Column cond = value.gt(0).and(value.geq(lit(cuts[i])));
            result = result == null ? when(cond, lit(tiers.get(i).name())) : result.when(cond, lit(tiers.get(i).name()));
        }
        return result == null ? lit(restTier) : result.otherwise(lit(restTier));
    }
}
