package dev.cvm.publish;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The PostgreSQL mirror of the output tables ({@code cvm.publish.postgres}). Where to connect and as whom is not here:
 * it comes from the environment ({@link PgTarget}), so no credential is ever part of the config.
 */
public record PostgresSettings(boolean enabled, String schema, String sslMode, String sslRootCert,
                               Map<String, String> properties, List<String> readers, int writeConnections,
                               int batchSize, Duration swapLockTimeout, int swapAttempts) implements Serializable {

    public static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");
    private static final String IDENTIFIER = "[a-z_][a-z0-9_]{0,62}";

    public static PostgresSettings from(Config root) {
        String p = "cvm.publish.postgres.";
        Config c = root.getConfig("cvm.publish.postgres");
        String schema = c.getString("schema");
        if (!schema.matches(IDENTIFIER)) {
            throw CvmException.usage("config key " + p + "schema must be a lower-case SQL identifier "
                    + "(a-z, 0-9, _), got \"" + schema + "\"");
        }
        String sslMode = c.getString("ssl-mode").trim();
        if (!sslMode.isEmpty() && !SSL_MODES.contains(sslMode)) {
            throw CvmException.usage("config key " + p + "ssl-mode must be one of " + new java.util.TreeSet<>(SSL_MODES)
                    + " or empty, got \"" + sslMode + "\"");
        }
        Map<String, String> props = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.getConfig("properties").entrySet()) {
            String key = e.getKey().replace("\"", "");
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.contains("password") || lower.equals("user")) {
                throw CvmException.usage("config key " + p + "properties." + key + " is not allowed: credentials "
                        + "come from the environment only (CVM_PG_USER, CVM_PG_PASSWORD or ~/.pgpass)");
            }
            props.put(key, String.valueOf(e.getValue().unwrapped()));
        }
        List<String> readers = c.getStringList("readers");
        for (String r : readers) {
            if (!r.matches(IDENTIFIER)) {
                throw CvmException.usage("config key " + p + "readers: role \"" + r
                        + "\" must be a lower-case SQL identifier (a-z, 0-9, _)");
            }
        }
        Duration timeout = c.getDuration("swap-lock-timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw CvmException.usage("config key " + p + "swap-lock-timeout must be positive, got " + timeout);
        }
        return new PostgresSettings(c.getBoolean("enabled"), schema, sslMode, c.getString("ssl-root-cert").trim(),
                Map.copyOf(props), List.copyOf(readers), positive(c, p, "write-connections"),
                positive(c, p, "batch-size"), timeout, positive(c, p, "swap-attempts"));
    }

    private static int positive(Config c, String prefix, String key) {
        int v = c.getInt(key);
        if (v <= 0) {
            throw CvmException.usage("config key " + prefix + key + " must be a positive integer, got " + v);
        }
        return v;
    }

    public PostgresSettings withSchema(String s) {
        return new PostgresSettings(enabled, s, sslMode, sslRootCert, properties, readers, writeConnections, batchSize,
                swapLockTimeout, swapAttempts);
    }

    public PostgresSettings withReaders(List<String> r) {
        return new PostgresSettings(enabled, schema, sslMode, sslRootCert, properties, List.copyOf(r), writeConnections,
                batchSize, swapLockTimeout, swapAttempts);
    }

    public PostgresSettings withSwapLockTimeout(Duration d) {
        return new PostgresSettings(enabled, schema, sslMode, sslRootCert, properties, readers, writeConnections,
                batchSize, d, swapAttempts);
    }
}
