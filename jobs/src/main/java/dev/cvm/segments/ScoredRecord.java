package dev.cvm.segments;

import dev.cvm.programs.ProgramSettings;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;

/**
 * The record segments and programs work on: the analytic record of the run date joined with the account's CLV and
 * propensities, plus value at risk (CLV x churn probability) and upside (best upsell propensity x product margin).
 */
public final class ScoredRecord {
    /** Columns this stage relies on in customer_clv and account_propensity. */
    public static final String CLV = "clv";
    public static final String CHURN = "churn_probability";
    public static final String UPSELL_PREFIX = "upsell_";

    private ScoredRecord() {}

    public static Dataset<Row> load(Warehouse warehouse, LocalDate runDate, ProgramSettings programs) {
        Dataset<Row> features = warehouse.readRunDate(Table.ACCOUNT_FEATURES, runDate, "features")
                .where(col("as_of_date").equalTo(lit(runDate))).drop("as_of_date");
        Dataset<Row> clv = warehouse.readRunDate(Table.CUSTOMER_CLV, runDate, "clv");
        Dataset<Row> propensity = warehouse.readRunDate(Table.ACCOUNT_PROPENSITY, runDate, "score");
        return build(features, clv, propensity, programs);
    }

    public static Dataset<Row> build(Dataset<Row> features, Dataset<Row> clv, Dataset<Row> propensity,
                                     ProgramSettings programs) {
        // The CLV parts marketing reads (docs/clv.md); total_clv becomes the record's clv.
        Dataset<Row> clvParts = clv.select(col("account_id"), col("total_clv").as(CLV), col("transactional_clv"),
                col("subscription_clv"), col("p_alive"), col("expected_purchases"), col("expected_avg_spend"),
                col("model").as("clv_model"));
        // account_propensity repeats the record's customer_id and as_of_date; the analytic record's own are kept.
        Dataset<Row> scores = propensity.drop("customer_id", "as_of_date");
        Dataset<Row> record = features.join(clvParts, "account_id", "left")
                .join(scores, "account_id", "left")
                .withColumn(CLV, coalesce(col(CLV), lit(0.0)));
        Column var = coalesce(col(CLV).multiply(col(CHURN)), lit(0.0));
        List<Column> upsides = new ArrayList<>();
        for (Map.Entry<String, Double> m : programs.productMargin().entrySet()) {
            if (Arrays.asList(record.columns()).contains(UPSELL_PREFIX + m.getKey())) {
                upsides.add(col(UPSELL_PREFIX + m.getKey()).multiply(m.getValue()));
            }
        }
        Column upside = upsides.isEmpty() ? lit(0.0)
                : upsides.size() == 1 ? coalesce(upsides.get(0), lit(0.0))
                : coalesce(greatest(upsides.toArray(new Column[0])), lit(0.0));
        return record.withColumn("value_at_risk", var).withColumn("upside", upside);
    }
}
