package dev.cvm.publish;

import dev.cvm.CvmException;
import dev.cvm.config.CatalogSettings;
import dev.cvm.config.CvmConfig;
import dev.cvm.features.FeatureCatalog;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.testing.SyntheticOutputs;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cvm publish, catalog part: the tables by name, with comments, queryable through Spark SQL; the output contract. */
class CatalogPublishTest {
    static final LocalDate RUN = SyntheticOutputs.FIRST;
    @TempDir
    static Path tmp;
    static CvmConfig config;
    static Warehouse warehouse;
    static CatalogSettings catalog;
    static SparkSession spark;

    @BeforeAll
    static void setUp() {
        spark = SparkTestSupport.spark();
        config = SyntheticOutputs.shared().config();
        warehouse = SyntheticOutputs.shared().warehouse();
        catalog = SparkTestSupport.catalog().withDatabase("cvm_catalog_test");
    }

    static List<CatalogPublisher.Registered> publish() {
        return new CatalogPublisher(spark, warehouse, catalog, config.features(), SparkTestSupport.log()).publish();
    }

    static Map<String, String> describe(String table) {
        Map<String, String> m = new HashMap<>();
        for (Row r : spark.sql("DESCRIBE TABLE EXTENDED cvm_catalog_test." + table).collectAsList()) {
            m.putIfAbsent(r.getString(0), r.isNullAt(2) || r.getString(2).isEmpty() ? r.getString(1) : r.getString(2));
        }
        return m;
    }

    @Test
    void registersTheOutputTablesByNameWithCommentsAndTheyAnswerSql() {
        List<CatalogPublisher.Registered> reg = publish();
        Set<String> names = Set.copyOf(reg.stream().map(CatalogPublisher.Registered::name).toList());
        for (Table t : OutputTables.OUTPUTS.stream().map(OutputTables.Doc::table).toList()) {
            assertTrue(names.contains("cvm_catalog_test." + t.tableName()), names.toString());
        }
        Map<String, String> d = describe("customer_scores");
        assertEquals(OutputTables.tableComment(Table.CUSTOMER_SCORES), d.get("Comment"));
        assertEquals("delta", d.get("Provider"));
        assertEquals("EXTERNAL", d.get("Type"));
        assertTrue(d.get("Location").endsWith(warehouse.root() + "/delta/customer_scores"), d.get("Location"));
        assertTrue(d.get("account_id").startsWith("Account identifier"), d.toString());
        assertTrue(d.get("value_at_risk").startsWith("clv x churn_probability"), d.get("value_at_risk"));
        String planDef = FeatureCatalog.entries(config.features()).stream().filter(e -> e.name().equals("plan"))
                .findFirst().orElseThrow().definition();
        assertTrue(d.get("plan").startsWith(planDef), d.get("plan"));
        assertTrue(describe("campaign_targets").get("rank").startsWith("Position within the program"));

        long delta = warehouse.readRunDate(Table.CUSTOMER_SCORES, RUN, "segment").count();
        SqlQuery.Result r = SqlQuery.run(spark, catalog, catalog.database(),
                "SELECT run_date, count(*) AS accounts FROM customer_scores WHERE run_date = '" + RUN
                        + "' GROUP BY run_date", 10);
        assertEquals(List.of(List.of(RUN.toString(), String.valueOf(delta))), r.rows());
        SqlQuery.Result top = SqlQuery.run(spark, catalog, catalog.database(),
                "SELECT account_id, clv FROM cvm_catalog_test.customer_scores ORDER BY clv DESC", 5);
        assertEquals(5, top.rows().size());
        assertTrue(top.more());
        assertEquals(List.of(false, true), top.numeric());
    }

    @Test
    void registeringAgainChangesNothingAndCommentsSurviveARerun() {
        publish();
        long version = DeltaTable.forPath(spark, warehouse.path(Table.SEGMENT_SUMMARY)).history(1)
                .select("version").first().getLong(0);
        List<CatalogPublisher.Registered> again = publish();
        assertTrue(again.stream().noneMatch(CatalogPublisher.Registered::created));
        assertEquals(0, again.stream().mapToInt(CatalogPublisher.Registered::commentsWritten).sum());
        assertEquals(version, DeltaTable.forPath(spark, warehouse.path(Table.SEGMENT_SUMMARY)).history(1)
                .select("version").first().getLong(0));
        // A re-run of the date rewrites the rows; the comments stay in the table's schema.
        warehouse.replaceRunDate(Table.SEGMENT_SUMMARY, warehouse.readRunDate(Table.SEGMENT_SUMMARY, RUN, "segment"),
                RUN);
        assertTrue(describe("segment_summary").get("share_of_clv").startsWith("total_clv / the run's total CLV"));
    }

    @Test
    void aSecondWarehouseCannotTakeOverTheDatabase() {
        publish();
        Warehouse other = new Warehouse(spark, tmp.resolve("other-wh").toString());
        other.replaceRunDate(Table.SEGMENT_SUMMARY, warehouse.readRunDate(Table.SEGMENT_SUMMARY, RUN, "segment"), RUN);
        CvmException e = assertThrows(CvmException.class, () -> new CatalogPublisher(spark, other, catalog,
                config.features(), SparkTestSupport.log()).publish());
        assertTrue(e.getMessage().contains("points at") && e.getMessage().contains("cvm.catalog.database"),
                e.getMessage());
    }

    /** docs/output-tables.md embeds the contract, and the contract matches what the segment stage writes. */
    @Test
    void outputContractMatchesTheDocAndTheTables() throws Exception {
        String doc = Files.readString(Path.of(System.getProperty("cvm.home", ".")).resolve("docs/output-tables.md"));
        assertTrue(doc.contains(OutputTables.markdown()), "docs/output-tables.md is out of date: paste "
                + "OutputTables.markdown() into its Tables section");
        for (OutputTables.Doc d : List.of(OutputTables.CAMPAIGN_TARGETS, OutputTables.SEGMENT_SUMMARY)) {
            StructType schema = warehouse.read(d.table()).schema();
            List<String> actual = new ArrayList<>();
            for (StructField f : schema.fields()) {
                actual.add(f.name() + " " + f.dataType().simpleString());
            }
            assertEquals(d.columns().stream().map(c -> c.name() + " " + c.type()).toList(), actual, d.table().name());
        }
        // customer_scores: every named column is there with its type, in order; other input columns (features,
        // further propensity columns) pass through.
        StructType scores = warehouse.read(Table.CUSTOMER_SCORES).schema();
        Set<String> inputs = SyntheticOutputs.inputColumns();
        List<String> documented = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (StructField f : scores.fields()) {
            OutputTables.Col col = OutputTables.CUSTOMER_SCORES.columns().stream()
                    .filter(c -> !c.name().startsWith("<") && c.matches(f.name())).findFirst().orElse(null);
            if (col == null && inputs.contains(f.name())) {
                continue;
            }
            assertNotNull(col, "customer_scores column " + f.name() + " is not in OutputTables");
            assertEquals(col.type(), f.dataType().simpleString(), f.name());
            added.add(col.name());
        }
        for (OutputTables.Col c : OutputTables.CUSTOMER_SCORES.columns()) {
            if (!c.name().startsWith("<") && !c.name().equals("custom_<scheme>")) {
                documented.add(c.name());
            }
        }
        assertEquals(documented, added.stream().distinct().toList());
    }
}
