package dev.cvm.publish;

import dev.cvm.CvmException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.udf;

/**
 * Replaces identifier columns by keyed pseudonyms: {@code account_id} becomes {@code account_pid}, the lower-case
 * hex HMAC-SHA256 of the id under a secret key. The same key gives the same pseudonym in every run, so exports can be
 * joined over time; without the key a pseudonym cannot be recomputed from a guessed id. The hash runs in a Spark UDF
 * on the executors; the key travels inside the serialized function, so it never appears in a query plan or the UI.
 */
public final class Pseudonymiser {
    /** The shortest key accepted, in bytes (HMAC-SHA256's block of security). */
    public static final int MIN_KEY_BYTES = 32;
    public static final Pseudonymiser OFF = new Pseudonymiser(List.of(), null, null);

    private final List<String> columns;
    private final String keyEnv;
    private final UserDefinedFunction hmac;

    private Pseudonymiser(List<String> columns, String keyEnv, byte[] key) {
        this.columns = columns;
        this.keyEnv = keyEnv;
        this.hmac = key == null ? null : udf(new Hmac(key), DataTypes.StringType).withName("cvm_pseudonym");
    }

    /** The pseudonymiser the settings ask for, with the key from {@code env}; {@link #OFF} when disabled. */
    public static Pseudonymiser from(PseudonymSettings s, Map<String, String> env) {
        if (!s.enabled()) {
            return OFF;
        }
        String key = env.get(s.keyEnv());
        if (key == null || key.isBlank()) {
            throw new CvmException("cvm.publish.pseudonymise.enabled is true but the key variable " + s.keyEnv()
                    + " (cvm.publish.pseudonymise.key-env) is not set: export it from your secret store (a new key: "
                    + "openssl rand -base64 32). Nothing was published");
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY_BYTES) {
            throw new CvmException("the pseudonymisation key in " + s.keyEnv() + " has " + bytes.length
                    + " bytes, fewer than " + MIN_KEY_BYTES + ": use a random key (openssl rand -base64 32). Nothing"
                    + " was published");
        }
        return new Pseudonymiser(s.columns(), s.keyEnv(), bytes);
    }

    public boolean enabled() {
        return hmac != null;
    }

    /** Whether {@code column} is replaced. */
    public boolean replaces(String column) {
        return columns.contains(column);
    }

    /** The configured identifier columns. */
    public List<String> columns() {
        return columns;
    }

    /** The name a column is published under: {@code account_id} as {@code account_pid}, others unchanged. */
    public String publishedName(String column) {
        if (!replaces(column)) {
            return column;
        }
        return column.endsWith("_id") ? column.substring(0, column.length() - 3) + "_pid" : column + "_pid";
    }

    /** The pseudonym of {@code id} (null stays null); evaluated by Spark where the rows are. */
    public Column apply(Column id) {
        if (hmac == null) {
            throw new IllegalStateException("pseudonymisation is off");
        }
        return hmac.apply(id.cast("string"));
    }

    /** What a pseudonymous column holds, for its comment in the serving database. */
    public String describe(String column) {
        return "Pseudonym of " + column + ": hex HMAC-SHA256 under the key in $" + keyEnv + " (stable while the key "
                + "is unchanged; cvm.publish.pseudonymise, docs/security.md)";
    }

    /** HMAC-SHA256 of a value as lower-case hex; a {@link Mac} is not thread-safe, so one per thread. */
    static final class Hmac implements UDF1<String, String> {
        private static final long serialVersionUID = 1L;
        private final byte[] key;
        private transient ThreadLocal<Mac> mac;

        Hmac(byte[] key) {
            this.key = key.clone();
        }

        @Override
        public String call(String value) throws GeneralSecurityException {
            if (value == null) {
                return null;
            }
            if (mac == null) {
                mac = new ThreadLocal<>();
            }
            Mac m = mac.get();
            if (m == null) {
                m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.set(m);
            }
            return HexFormat.of().formatHex(m.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Hmac[key=***]";
        }
    }
}
