package dev.cvm.publish;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keyed pseudonyms computed by Spark: what the settings accept, and that the values are HMAC-SHA256 of the id. */
class PseudonymiserTest {
    static final String KEY = "k3y-for-tests-only-0123456789abcdef";
    static final PseudonymSettings ON = PseudonymSettings.on("CVM_TEST_PSEUDONYM_KEY",
            List.of("account_id", "customer_id"));

    static String reference(String key, String id) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> pseudonyms(Pseudonymiser p, String... ids) {
        Dataset<Row> df = SparkTestSupport.spark().createDataset(java.util.Arrays.asList(ids),
                org.apache.spark.sql.Encoders.STRING()).toDF("account_id").repartition(2);
        // Order by the original so the comparison is positional; the hash itself runs in the executors' tasks.
        return df.select(col("account_id"), p.apply(col("account_id")).as("pid")).orderBy("account_id")
                .collectAsList().stream().map(r -> r.getString(1)).toList();
    }

    @Test
    void theSparkPseudonymIsTheHmacOfTheIdAndDependsOnTheKeyOnly() throws Exception {
        Pseudonymiser p = Pseudonymiser.from(ON, Map.of("CVM_TEST_PSEUDONYM_KEY", KEY));
        List<String> first = pseudonyms(p, "A00001", "A00002", "Ä-ünicode-42");
        assertEquals(List.of(reference(KEY, "A00001"), reference(KEY, "A00002"), reference(KEY, "Ä-ünicode-42")),
                first);
        // Stable: a second pseudonymiser from the same key (another run) gives the same values.
        assertEquals(first, pseudonyms(Pseudonymiser.from(ON, Map.of("CVM_TEST_PSEUDONYM_KEY", KEY)),
                "A00001", "A00002", "Ä-ünicode-42"));
        List<String> other = pseudonyms(Pseudonymiser.from(ON, Map.of("CVM_TEST_PSEUDONYM_KEY", KEY + "x")),
                "A00001", "A00002", "Ä-ünicode-42");
        for (int i = 0; i < first.size(); i++) {
            assertNotEquals(first.get(i), other.get(i), "another key, another pseudonym");
        }
        assertNull(SparkTestSupport.spark().sql("SELECT CAST(NULL AS STRING) AS account_id")
                .select(p.apply(col("account_id"))).first().get(0));
        assertEquals("account_pid", p.publishedName("account_id"));
        assertEquals("customer_pid", p.publishedName("customer_id"));
        assertEquals("program", p.publishedName("program"));
        assertFalse(p.toString().contains(KEY));
    }

    @Test
    void aMissingOrShortKeyStopsThePublishAndNamesTheVariable() {
        CvmException missing = assertThrows(CvmException.class, () -> Pseudonymiser.from(ON, Map.of()));
        assertTrue(missing.getMessage().contains("CVM_TEST_PSEUDONYM_KEY") && missing.getMessage().contains("is not set"), missing.getMessage());
        CvmException shortKey = assertThrows(CvmException.class,
                () -> Pseudonymiser.from(ON, Map.of("CVM_TEST_PSEUDONYM_KEY", "secret")));
        assertTrue(shortKey.getMessage().contains("fewer than 32") && !shortKey.getMessage().contains("secret\""),
                shortKey.getMessage());
        assertFalse(Pseudonymiser.from(CvmConfig.parse("").publish().pseudonymise(), Map.of()).enabled(),
                "off by default");
    }

    @Test
    void theConfigNamesTheVariableNeverTheKey() {
        PseudonymSettings s = CvmConfig.parse("cvm.publish.pseudonymise { enabled = true, key-env = MY_KEY }")
                .publish().pseudonymise();
        assertEquals("MY_KEY", s.keyEnv());
        assertEquals(List.of("account_id", "customer_id"), s.columns());
        String pasted = "q8Vn+2f/abcdefghijklmnopqrstuvwxyz012345=";
        CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse(
                "cvm.publish.pseudonymise.key-env = \"" + pasted + "\""));
        assertTrue(e.getMessage().contains("must name an environment variable"), e.getMessage());
        assertFalse(e.getMessage().contains(pasted), "the key is not echoed: " + e.getMessage());
        assertThrows(CvmException.class, () -> CvmConfig.parse("cvm.publish.pseudonymise.key = abc"));
        assertThrows(CvmException.class, () -> CvmConfig.parse(
                "cvm.publish.pseudonymise { enabled = true, columns = [] }"));
    }
}
