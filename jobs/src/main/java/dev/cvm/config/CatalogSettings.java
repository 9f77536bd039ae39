package dev.cvm.config;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Hive-compatible catalog the output tables are registered in ({@code cvm.catalog}): an embedded Derby metastore
 * under the warehouse, an external Hive metastore (thrift URIs), or whatever the Spark installation is wired to.
 */
public record CatalogSettings(boolean enabled, String database, String metastore, String derbyDir,
                              String sparkWarehouseDir) implements Serializable {

    public enum Mode { EMBEDDED, THRIFT, SPARK }

    static CatalogSettings from(Config root) {
        Config c = root.getConfig("cvm.catalog");
        String database = c.getString("database");
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw CvmException.usage("config key cvm.catalog.database must be letters, digits or _ (a SQL identifier), "
                    + "got \"" + database + "\"");
        }
        String metastore = c.getString("metastore").trim();
        if (!metastore.equals("embedded") && !metastore.equals("spark") && !isThriftList(metastore)) {
            throw CvmException.usage("config key cvm.catalog.metastore must be \"embedded\", \"spark\" or "
                    + "thrift://host:port[,thrift://host:port...], got \"" + metastore + "\"");
        }
        return new CatalogSettings(c.getBoolean("enabled"), database.toLowerCase(java.util.Locale.ROOT), metastore,
                CvmConfig.nonBlank(root, "cvm.catalog.derby-dir"),
                CvmConfig.nonBlank(root, "cvm.catalog.spark-warehouse-dir"));
    }

    /** An embedded metastore in {@code dir}; for tests and embedded use. */
    public static CatalogSettings embedded(String database, String derbyDir, String sparkWarehouseDir) {
        return new CatalogSettings(true, database, "embedded", derbyDir, sparkWarehouseDir);
    }

    public CatalogSettings withDatabase(String db) {
        return new CatalogSettings(enabled, db, metastore, derbyDir, sparkWarehouseDir);
    }

    private static boolean isThriftList(String s) {
        for (String u : s.split(",")) {
            if (!u.trim().matches("thrift://[^/:\\s]+:\\d+/?")) {
                return false;
            }
        }
        return true;
    }

    public Mode mode() {
        return metastore.equals("embedded") ? Mode.EMBEDDED : metastore.equals("spark") ? Mode.SPARK : Mode.THRIFT;
    }

    /** Why this catalog cannot be used by this process, if it cannot. */
    public Optional<String> problem() {
        if (!enabled) {
            return Optional.of("the catalog is off (cvm.catalog.enabled = false)");
        }
        if (mode() == Mode.EMBEDDED && localDerbyDir().isEmpty()) {
            return Optional.of("the embedded metastore needs a local directory, but cvm.catalog.derby-dir is "
                    + derbyDir + ": set cvm.catalog.metastore to thrift://host:9083 (a Hive metastore) or \"spark\", "
                    + "or cvm.catalog.derby-dir to a local path");
        }
        return Optional.empty();
    }

    /** The Derby directory as an absolute local path, when it is one (a plain path or a file: URI). */
    public Optional<Path> localDerbyDir() {
        return localPath(derbyDir);
    }

    static Optional<Path> localPath(String s) {
        if (s.startsWith("file:")) {
            // file:/x, file:///x (no host): the path after the scheme.
            return Optional.of(Path.of(s.replaceFirst("^file:(//)?", "")).toAbsolutePath().normalize());
        }
        if (s.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(s).toAbsolutePath().normalize());
    }
}
