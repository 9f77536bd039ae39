package dev.cvm.features;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static dev.cvm.features.AsOf.AS_OF;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

/**
 * Training labels for as-of dates whose outcome window [as_of, as_of + horizon) has ended by the run date.
 * Only accounts active at the as-of date get labels. {@code adopted_<product>} is null for accounts that already held
 * the product: they cannot adopt it, and a zero would teach the model that they declined.
 */
final class Labels {
    private Labels() {}

    static Dataset<Row> build(Dataset<Row> base, Dataset<Row> accounts, Dataset<Row> daily, Dataset<Row> holdings,
                              Dataset<Row> maturedAsOf, FeatureSettings s) {
        int h = s.horizonDays();
        Column end = date_add(col(AS_OF), h);
        Dataset<Row> active = base.join(maturedAsOf, AS_OF)
                .where(col("account_status").equalTo("active")).select("account_id", AS_OF);

        Dataset<Row> closed = accounts.select("account_id", "close_date").where(col("close_date").isNotNull());
        Dataset<Row> buying = daily.join(maturedAsOf, col("day").geq(col(AS_OF)).and(col("day").lt(end)))
                .groupBy("account_id", AS_OF).agg(lit(true).as("_bought"));

        List<Column> adoptAggs = new ArrayList<>();
        for (String p : s.upsellProducts()) {
            Column isP = col("product").equalTo(lit(p));
            adoptAggs.add(max(isP.and(HoldingFeatures.heldAt(col(AS_OF)))).as("_held_" + p));
            adoptAggs.add(max(isP.and(col("start_date").geq(col(AS_OF))).and(col("start_date").lt(end)))
                    .as("_started_" + p));
        }
        Dataset<Row> labelled = active.join(closed, "account_id", "left")
                .join(buying, new String[] {"account_id", AS_OF}, "left");
        if (!adoptAggs.isEmpty()) {
            Dataset<Row> adoption = holdings.join(maturedAsOf, col("start_date").lt(end))
                    .groupBy("account_id", AS_OF).agg(adoptAggs.get(0),
                            adoptAggs.subList(1, adoptAggs.size()).toArray(new Column[0]));
            labelled = labelled.join(adoption, new String[] {"account_id", AS_OF}, "left");
        }

        Column closedInHorizon = coalesce(col("close_date").geq(col(AS_OF)).and(col("close_date").lt(end)), lit(false));
        Column inactive = coalesce(col("_bought"), lit(false)).equalTo(false);
        Column churned = switch (s.churnDefinition()) {
            case "closed" -> closedInHorizon;
            case "inactive" -> inactive;
            default -> closedInHorizon.or(inactive);
        };
        List<Column> out = new ArrayList<>(List.of(col("account_id"), col(AS_OF),
                lit(h).as("horizon_days"), churned.cast("int").as("churned")));
        for (String p : s.upsellProducts()) {
            Column held = coalesce(col("_held_" + p), lit(false));
            Column started = coalesce(col("_started_" + p), lit(false));
            out.add(when(held, lit(null).cast("int")).otherwise(started.cast("int")).as("adopted_" + p));
        }
        return labelled.select(out.toArray(new Column[0]));
    }
}
