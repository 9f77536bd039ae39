package dev.cvm.publish;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.util.List;

/**
 * Pseudonymous identifiers in the marketing exports ({@code cvm.publish.pseudonymise}). The config names the
 * environment variable that holds the key, never the key itself.
 */
public record PseudonymSettings(boolean enabled, String keyEnv, List<String> columns) implements Serializable {
    private static final String P = "cvm.publish.pseudonymise.";

    public static PseudonymSettings from(Config root) {
        Config c = root.getConfig("cvm.publish.pseudonymise");
        String keyEnv = c.getString("key-env").trim();
        if (!keyEnv.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            // Anything else is most likely the key pasted where its variable's name belongs: do not echo it.
            throw CvmException.usage("config key " + P + "key-env must name an environment variable (letters, "
                    + "digits, _; e.g. CVM_PSEUDONYM_KEY), and the key goes into that variable, never into the config"
                    + " (the value given is not echoed)");
        }
        List<String> columns = c.getStringList("columns");
        for (String col : columns) {
            if (!col.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw CvmException.usage("config key " + P + "columns: \"" + col + "\" must be a lower-case column "
                        + "name (a-z, 0-9, _)");
            }
        }
        boolean enabled = c.getBoolean("enabled");
        if (enabled && columns.isEmpty()) {
            throw CvmException.usage("config key " + P + "columns is empty but pseudonymisation is enabled: list the "
                    + "identifier columns to replace, e.g. [account_id, customer_id]");
        }
        return new PseudonymSettings(enabled, keyEnv, List.copyOf(columns));
    }

    public static PseudonymSettings on(String keyEnv, List<String> columns) {
        return new PseudonymSettings(true, keyEnv, List.copyOf(columns));
    }
}
