package dev.cvm.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import dev.cvm.testing.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cvm evaluate} on a small, deliberately messy telco-style CSV: an ID column, numbers stored as text with
 * blanks, Yes/No flags, a constant column, a date column, free text, NA spellings, a Yes/No label.
 */
class EvaluateRecordTest {
    static final int ROWS = 1_200;
    @TempDir
    static Path tmp;
    static Path csv;
    static CvmConfig config;
    static RecordEvaluation.Report report;
    static long positives;

    @BeforeAll
    static void writeAndEvaluate() throws IOException {
        csv = tmp.resolve("telco messy.csv");
        positives = writeMessyCsv(csv, ROWS, 3);
        config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), """
                cvm.models.logistic.elastic-net-params = [0.0]
                cvm.models.gbt.max-depths = [3]
                cvm.models.gbt.max-iter = 20
                """);
        report = new RecordEvaluation(SparkTestSupport.spark(), config.models(), SparkTestSupport.log())
                .run(new RecordEvaluation.Request(csv.toString(), "customerID", "Churn", null, List.of(),
                        tmp.resolve("out").toString()));
    }

    /** Churn planted on contract, tenure, charges, fibre and seniority; returns the number of churners. */
    static long writeMessyCsv(Path file, int rows, long seed) throws IOException {
        Random rng = new Random(seed);
        String[] contracts = {"Month-to-month", "One year", "Two year"};
        String[] internet = {"DSL", "Fiber optic", "No"};
        List<String> lines = new ArrayList<>();
        lines.add("\uFEFFcustomerID,gender,SeniorCitizen,Partner,tenure,Contract,InternetService,MonthlyCharges,"
                + "TotalCharges,PaperlessBilling,Country,SignupDate,Notes,Churn");
        long churners = 0;
        for (int i = 0; i < rows; i++) {
            int contract = rng.nextDouble() < 0.55 ? 0 : rng.nextDouble() < 0.5 ? 1 : 2;
            int net = rng.nextInt(3);
            int senior = rng.nextDouble() < 0.16 ? 1 : 0;
            int tenure = rng.nextInt(73);
            double monthly = 20 + (net == 1 ? 50 : net == 0 ? 30 : 0) + rng.nextDouble() * 30;
            double logit = -1.2 + (contract == 0 ? 1.6 : contract == 1 ? 0.2 : -1.0) - 0.035 * tenure
                    + 0.02 * (monthly - 65) + (net == 1 ? 0.6 : 0) + 0.4 * senior;
            boolean churn = rng.nextDouble() < 1 / (1 + Math.exp(-logit));
            churners += churn ? 1 : 0;
            // Numbers as text: blank for brand-new customers (as in the public telco file), an NA now and then.
            String total = tenure == 0 ? " " : i % 97 == 0 ? "NA" : String.format(Locale.ROOT, "%.2f", tenure * monthly);
            String notes = rng.nextDouble() < 0.3 ? "" : "\"called about bill " + (100_000 + rng.nextInt(900_000)) + ", ok\"";
            lines.add(String.join(",",
                    String.format(Locale.ROOT, "%04d-%c%c%c%c", i, 'A' + rng.nextInt(26), 'A' + rng.nextInt(26),
                            'A' + rng.nextInt(26), 'A' + rng.nextInt(26)),
                    rng.nextBoolean() ? "Male" : "Female",
                    String.valueOf(senior),
                    rng.nextBoolean() ? "Yes" : "No",
                    String.valueOf(tenure),
                    contracts[contract],
                    internet[net],
                    String.format(Locale.ROOT, "%.2f", monthly),
                    total,
                    rng.nextBoolean() ? " yes" : "No ",
                    "US",
                    String.format(Locale.ROOT, "2024-%02d-%02d", 1 + rng.nextInt(12), 1 + rng.nextInt(28)),
                    notes,
                    churn ? "Yes" : "No"));
        }
        Files.write(file, lines);
        return churners;
    }

    static Map<String, ColumnInference.Decision> decisions() {
        return report.columns().stream().collect(Collectors.toMap(ColumnInference.Decision::source, Function.identity()));
    }

    @Test
    void messyColumnsAreTypedFromTheData() {
        Map<String, ColumnInference.Decision> d = decisions();
        assertEquals(ColumnInference.Kind.NUMERIC, d.get("TotalCharges").kind(), d.get("TotalCharges").describe());
        assertTrue(d.get("TotalCharges").note().contains("numbers stored as text"), d.get("TotalCharges").note());
        assertEquals(ColumnInference.Kind.NUMERIC, d.get("tenure").kind());
        assertEquals(ColumnInference.Kind.FLAG, d.get("Partner").kind());
        assertEquals(ColumnInference.Kind.FLAG, d.get("PaperlessBilling").kind(), "trimmed, any case");
        assertEquals(ColumnInference.Kind.CATEGORICAL, d.get("Contract").kind());
        assertEquals(ColumnInference.Kind.CATEGORICAL, d.get("gender").kind());
        assertEquals(ColumnInference.Kind.AGE_DAYS, d.get("SignupDate").kind());
        assertEquals(ColumnInference.Kind.DROPPED, d.get("Country").kind());
        assertTrue(d.get("Country").note().contains("constant"));
        assertEquals(ColumnInference.Kind.DROPPED, d.get("Notes").kind(), d.get("Notes").describe());
        assertTrue(!d.containsKey("customerID") && !d.containsKey("Churn"), "id and label are not features");
        assertEquals("Yes", report.positiveValue());
    }

    @Test
    void metricsAreSaneAndWritten() throws IOException {
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("out/metrics.json").toFile());
        for (String k : List.of("roc_auc", "pr_auc", "brier", "lift_top_decile", "n_train", "n_test")) {
            assertTrue(m.has(k), k);
        }
        assertEquals(ROWS, m.get("n_train").asLong() + m.get("n_test").asLong());
        assertEquals(Math.round(ROWS * 0.25), m.get("n_test").asLong(), 1.0);
        double rate = (double) positives / ROWS;
        // Stratified: the test set keeps the label's share (to rounding).
        assertEquals(rate, m.get("positive_rate_test").asDouble(), 1.0 / m.get("n_test").asDouble() + 1e-9);
        // The planted signal is strong (contract, tenure, charges): a sane model ranks well, beats the constant
        // base-rate forecast on Brier, and concentrates churners in the top decile.
        assertTrue(m.get("roc_auc").asDouble() > 0.75, m.toString());
        assertTrue(m.get("brier").asDouble() < rate * (1 - rate), m.toString());
        assertTrue(m.get("lift_top_decile").asDouble() > 1.5, m.toString());
        assertTrue(Files.list(tmp.resolve("out/predictions")).anyMatch(p -> p.toString().endsWith(".csv")));
    }

    @Test
    void labelMustBeBinaryAndThePositiveClassKnown() {
        RecordEvaluation ev = new RecordEvaluation(SparkTestSupport.spark(), config.models(), SparkTestSupport.log());
        CvmException e = assertThrows(CvmException.class, () -> ev.run(new RecordEvaluation.Request(csv.toString(),
                "customerID", "Contract", null, List.of(), null)));
        assertTrue(e.getMessage().contains("not binary"), e.getMessage());
        e = assertThrows(CvmException.class, () -> ev.run(new RecordEvaluation.Request(csv.toString(),
                "customerID", "Churn", "Maybe", List.of(), null)));
        assertTrue(e.getMessage().contains("--positive Maybe"), e.getMessage());
        e = assertThrows(CvmException.class, () -> ev.run(new RecordEvaluation.Request(csv.toString(),
                "customer", "Churn", null, List.of(), null)));
        assertTrue(e.getMessage().contains("no such column"), e.getMessage());
    }

    @Test
    void heuristics() {
        assertEquals(";", RecordEvaluation.delimiter("\"age\";\"job\";\"marital\";\"y\""));
        assertEquals(",", RecordEvaluation.delimiter("a,b;c,d"));
        assertEquals("\t", RecordEvaluation.delimiter("a\tb\tc"));
        assertEquals("Yes", RecordEvaluation.guessPositive("No", "Yes"));
        assertEquals("1", RecordEvaluation.guessPositive("0", "1"));
        assertEquals("Attrited Customer", RecordEvaluation.guessPositive("Existing Customer", "Attrited Customer"));
        assertEquals("1.0", RecordEvaluation.guessPositive("1.0", "0.0"));
        assertNull(RecordEvaluation.guessPositive("2", "1"), "1/2 coding is ambiguous: --positive is needed");
        assertNull(RecordEvaluation.guessPositive("red", "blue"));
        assertTrue(ColumnInference.looksLikeIdName("customerID"));
        assertTrue(ColumnInference.looksLikeIdName("CLIENTNUM"));
        assertTrue(ColumnInference.looksLikeIdName("RowNumber"));
        assertTrue(ColumnInference.looksLikeIdName("account_no"));
        assertTrue(!ColumnInference.looksLikeIdName("tenure") && !ColumnInference.looksLikeIdName("Balance"));
    }
}
