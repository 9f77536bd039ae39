package dev.cvm.programs;

import dev.cvm.config.CvmConfig;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.cvm.testing.Fixtures.row;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark allocation picks exactly what the pure greedy rule picks, and never spends over budget. */
class BudgetAllocationSparkTest {
    @Test
    void sparkSelectionEqualsGreedyRule() {
        ProgramSettings s = CvmConfig.parse("""
                cvm.programs.rules = [
                  { program = a, when = "true", value = "1", offer = "'x'", budget = 37.5 }
                  { program = b, when = "true", value = "1", offer = "'x'", budget = 10 } ]
                """).programs();
        Random rnd = new Random(5);
        List<Row> rows = new ArrayList<>();
        List<GreedyAllocation.Candidate> a = new ArrayList<>();
        List<GreedyAllocation.Candidate> b = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String program = i % 3 == 0 ? "b" : "a";
            double cost = new double[] {0.05, 0.1, 4.0}[rnd.nextInt(3)];
            double net = rnd.nextDouble() * 10 - 2;
            rows.add(row(String.format("A%04d", i), program, net, cost));
            (program.equals("a") ? a : b).add(new GreedyAllocation.Candidate(String.format("A%04d", i), net, cost));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("account_id", DataTypes.StringType, false),
                DataTypes.createStructField("program", DataTypes.StringType, false),
                DataTypes.createStructField("expected_net_value", DataTypes.DoubleType, false),
                DataTypes.createStructField("contact_cost", DataTypes.DoubleType, false)));
        Dataset<Row> chosen = BudgetAllocation.select(SparkTestSupport.spark().createDataFrame(rows, schema), s);
        for (String p : List.of("a", "b")) {
            List<String> spark = chosen.where(col("program").equalTo(p)).orderBy("rank").select("account_id")
                    .as(Encoders.STRING()).collectAsList();
            var greedy = GreedyAllocation.select(p.equals("a") ? a : b, p.equals("a") ? 37.5 : 10);
            assertEquals(greedy.stream().map(GreedyAllocation.Candidate::id).toList(), spark, "program " + p);
            assertTrue(GreedyAllocation.cost(greedy) <= (p.equals("a") ? 37.5 : 10) + 1e-9);
            assertTrue(!greedy.isEmpty());
        }
    }
}
