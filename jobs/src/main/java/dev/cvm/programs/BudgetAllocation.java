package dev.cvm.programs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The Spark side of {@link GreedyAllocation}: within each program, eligible candidates with positive expected net
 * value ranked by net value per cost (ties by account id), and the longest prefix whose running cost fits the budget.
 * One window per program: each program's candidates are sorted in one task, which handles tens of millions of rows.
 */
public final class BudgetAllocation {
    private BudgetAllocation() {}

    public static Dataset<Row> select(Dataset<Row> candidates, ProgramSettings s) {
        Column budget = null;
        for (ProgramSettings.Rule r : s.rules()) {
            Column c = col("program").equalTo(lit(r.program()));
            budget = budget == null ? when(c, lit(r.budget())) : budget.when(c, lit(r.budget()));
        }
        WindowSpec byDensity = Window.partitionBy("program")
                .orderBy(col("_density").desc(), col("account_id").asc());
        WindowSpec running = byDensity.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        return candidates.where(col("expected_net_value").gt(0))
                .withColumn("_density", col("expected_net_value").divide(col("contact_cost")))
                .withColumn("_spent", sum("contact_cost").over(running))
                .withColumn("rank", row_number().over(byDensity))
                .where(col("_spent").leq(budget.otherwise(lit(0.0)).plus(1e-9)))
                .drop("_density", "_spent");
    }
}
