package dev.cvm.publish;

import dev.cvm.CvmException;
import dev.cvm.features.FeatureSettings;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;

/**
 * Mirrors one run of customer_scores, campaign_targets and segment_summary into PostgreSQL so that readers never see
 * a half-loaded table or a mix of runs.
 *
 * <ol>
 *   <li>Each table is loaded into {@code <schema>.<table>_staging} by Spark's JDBC writer (complex columns as JSON
 *   text), its row count checked, then given its primary key, lookup indexes, comments, reader grants and statistics.
 *   Readers do not see staging tables; a failure here leaves the served tables as they were.</li>
 *   <li>One transaction swaps all three: lock the live tables (in a fixed order), rename live to {@code _old},
 *   staging to live, drop old, rename the indexes, and add the {@code publish_log} row. A reader's statement holds
 *   its tables' locks, so it runs wholly before the swap or wholly after it; a statement that arrives during the
 *   swap waits for the commit and then resolves the names to the new tables.</li>
 * </ol>
 * An advisory lock keeps two publishes to one schema from interleaving. A run date older than the one being served
 * is skipped unless forced, so a backfill does not roll the serving database back.
 */
public final class PostgresPublisher {
    /** A served table: its primary key and the indexes for its usual lookups. */
    record Served(Table table, List<String> key, List<List<String>> indexes) {
        String name() {
            return table.tableName();
        }
    }

    static final List<Served> SERVED = List.of(
            new Served(Table.CUSTOMER_SCORES, List.of("account_id"), List.of(List.of("customer_id"),
                    List.of("program", "targeted"), List.of("value_tier"), List.of("rfm_segment"),
                    List.of("micro_segment"))),
            new Served(Table.CAMPAIGN_TARGETS, List.of("program", "account_id"), List.of(List.of("account_id"),
                    List.of("program", "rank"), List.of("channel"))),
            new Served(Table.SEGMENT_SUMMARY, List.of("scheme", "segment"), List.of()));

    public static final String LOG_TABLE = "publish_log";

    /** What a publish did: the run date, whether it was served, why not, and rows per table. */
    public record Outcome(LocalDate runDate, boolean published, String message, Map<String, Long> rows) {}

    private final Warehouse warehouse;
    private final PostgresSettings settings;
    private final PgTarget target;
    private final FeatureSettings features;
    private final StepLog log;
    /** Runs inside the swap transaction just before COMMIT; tests use it to hold the swap open. */
    Consumer<Connection> beforeCommit = c -> {};

    public PostgresPublisher(Warehouse warehouse, PostgresSettings settings, PgTarget target, FeatureSettings features,
                             StepLog log) {
        this.warehouse = warehouse;
        this.settings = settings;
        this.target = target;
        this.features = features;
        this.log = log;
    }

    public Outcome publish(LocalDate runDate, boolean force) {
        Map<Served, Dataset<Row>> frames = new LinkedHashMap<>();
        for (Served s : SERVED) {
            frames.put(s, prepare(s, runDate));
        }
        try (Connection c = target.connect(settings)) {
            String lockKey = "cvm publish " + settings.schema();
            if (!queryBoolean(c, "SELECT pg_try_advisory_lock(hashtext(?))", lockKey)) {
                throw new CvmException("another cvm publish is writing to PostgreSQL schema " + settings.schema()
                        + " at " + target.safeUrl() + ": run again when it has finished");
            }
            try {
                ensureSchema(c);
                LocalDate served = servedRunDate(c);
                if (served != null && served.isAfter(runDate) && !force) {
                    String msg = "PostgreSQL serves run date " + served + ", later than " + runDate
                            + ": not replaced (publish --force to serve an older run)";
                    log.info("  %s", msg);
                    return new Outcome(runDate, false, msg, Map.of());
                }
                Map<String, Long> rows = new LinkedHashMap<>();
                for (Map.Entry<Served, Dataset<Row>> e : frames.entrySet()) {
                    rows.put(e.getKey().name(), stage(c, e.getKey(), e.getValue()));
                }
                log.run("postgres swap " + settings.schema() + " -> run " + runDate, () -> {
                    swap(c, runDate, rows);
                    return null;
                });
                return new Outcome(runDate, true, "PostgreSQL " + target.safeUrl() + " schema " + settings.schema()
                        + " serves run date " + runDate, rows);
            } finally {
                try {
                    queryBoolean(c, "SELECT pg_advisory_unlock(hashtext(?))", lockKey);
                } catch (SQLException ignored) {
                    // closing the connection releases it too
                }
            }
        } catch (SQLException e) {
            throw new CvmException("PostgreSQL publish of " + runDate + " to " + target.safeUrl() + " failed; the "
                    + "served tables are unchanged: " + describe(e), e);
        } finally {
            frames.values().forEach(Dataset::unpersist);
        }
    }

    /** The run date's rows with PostgreSQL-friendly columns: lower-case names, complex values as JSON text. */
    private Dataset<Row> prepare(Served s, LocalDate runDate) {
        if (!warehouse.exists(s.table())) {
            throw new CvmException("table " + s.name() + " does not exist: run `cvm segment --run-date " + runDate
                    + "` first (nothing was published to PostgreSQL)");
        }
        Dataset<Row> df = warehouse.read(s.table()).where(col(Table.RUN_DATE).equalTo(lit(runDate)));
        List<Column> cols = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StructField f : df.schema().fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new CvmException("column '" + f.name() + "' of " + s.name() + " is not a plain SQL name "
                        + "(a-z, 0-9, _; at most 63): rename it before publishing to PostgreSQL");
            }
            if (!seen.add(name)) {
                throw new CvmException("columns of " + s.name() + " collide in lower case: " + name);
            }
            Column c = col("`" + f.name().replace("`", "``") + "`");
            cols.add((isComplex(f.dataType()) ? to_json(c) : c).as(name));
        }
        for (String k : s.key()) {
            if (!seen.contains(k)) {
                throw new CvmException(s.name() + " has no key column " + k + " (columns: " + seen + ")");
            }
        }
        return df.select(cols.toArray(new Column[0])).persist(StorageLevel.MEMORY_AND_DISK());
    }

    static boolean isComplex(DataType t) {
        return t instanceof ArrayType || t instanceof MapType || t instanceof StructType
                || t.typeName().equals("variant");
    }

    /** The PostgreSQL column type of a (prepared) Spark column. */
    static String pgType(String column, DataType t) {
        String n = t.typeName();
        if (n.startsWith("string")) {
            return "text";
        }
        if (n.startsWith("decimal")) {
            org.apache.spark.sql.types.DecimalType d = (org.apache.spark.sql.types.DecimalType) t;
            return "numeric(" + d.precision() + "," + d.scale() + ")";
        }
        return switch (n) {
            case "boolean" -> "boolean";
            case "byte", "short" -> "smallint";
            case "integer" -> "integer";
            case "long" -> "bigint";
            case "float" -> "real";
            case "double" -> "double precision";
            case "date" -> "date";
            case "timestamp" -> "timestamp with time zone";
            case "timestamp_ntz" -> "timestamp without time zone";
            case "binary" -> "bytea";
            default -> throw new CvmException("column " + column + " has type " + t.simpleString()
                    + ", which cvm does not map to PostgreSQL");
        };
    }

    /** Loads the staging table and readies it to be swapped in; returns its row count. */
    private long stage(Connection c, Served s, Dataset<Row> df) throws SQLException {
        String staging = s.name() + "_staging";
        long expected = df.count();
        List<String> defs = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            defs.add(quote(f.name()) + " " + pgType(f.name(), f.dataType())
                    + (s.key().contains(f.name()) ? " NOT NULL" : ""));
        }
        exec(c, "DROP TABLE IF EXISTS " + q(staging));
        exec(c, "CREATE TABLE " + q(staging) + " (" + String.join(", ", defs) + ")");
        long loaded = log.step("postgres load " + staging, () -> {
            df.write().format("jdbc").mode(SaveMode.Append)
                    .option("url", target.url())
                    .option("dbtable", settings.schema() + "." + staging)
                    .option("driver", "org.postgresql.Driver")
                    .option("batchsize", settings.batchSize())
                    .option("numPartitions", settings.writeConnections())
                    .option("reWriteBatchedInserts", "true")
                    .options(target.connectionProperties(settings))
                    .save();
            try {
                return queryLong(c, "SELECT count(*) FROM " + q(staging));
            } catch (SQLException e) {
                throw new CvmException("cannot count " + staging + ": " + e.getMessage(), e);
            }
        });
        if (loaded != expected) {
            throw new CvmException(staging + " holds " + loaded + " rows, the warehouse " + expected
                    + ": not swapped in (the served tables are unchanged)");
        }
        log.run("postgres keys, indexes " + staging, () -> {
            try {
                finishStaging(c, s, staging, List.of(df.columns()));
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState()) || "23502".equals(e.getSQLState())) {
                    throw new CvmException(s.name() + " has " + ("23505".equals(e.getSQLState()) ? "duplicate"
                            : "null") + " keys (" + String.join(", ", s.key()) + "): not published, the served "
                            + "tables are unchanged (" + firstLine(e.getMessage()) + ")", e);
                }
                throw new CvmException("cannot index " + staging + ": " + describe(e), e);
            }
            return null;
        });
        return loaded;
    }

    private void finishStaging(Connection c, Served s, String staging, List<String> columns) throws SQLException {
        exec(c, "ALTER TABLE " + q(staging) + " ADD CONSTRAINT " + quote(staging + "_pkey") + " PRIMARY KEY ("
                + String.join(", ", s.key().stream().map(PostgresPublisher::quote).toList()) + ")");
        for (List<String> idx : s.indexes()) {
            if (columns.containsAll(idx)) {
                exec(c, "CREATE INDEX " + quote(indexName(staging, idx)) + " ON " + q(staging) + " ("
                        + String.join(", ", idx.stream().map(PostgresPublisher::quote).toList()) + ")");
            }
        }
        OutputTables.Doc doc = OutputTables.doc(s.table());
        exec(c, "COMMENT ON TABLE " + q(staging) + " IS " + pgLiteral(OutputTables.servedComment(doc)));
        for (Map.Entry<String, String> e : OutputTables.columnComments(s.table(), columns, features).entrySet()) {
            exec(c, "COMMENT ON COLUMN " + q(staging) + "." + quote(e.getKey()) + " IS " + pgLiteral(e.getValue()));
        }
        for (String r : settings.readers()) {
            exec(c, "GRANT SELECT ON " + q(staging) + " TO " + quote(r));
        }
        exec(c, "ANALYZE " + q(staging));
    }

    static String indexName(String table, List<String> columns) {
        return table + "_" + String.join("_", columns) + "_idx";
    }

    /** Staging to live for all tables, in one transaction; retried when readers hold the locks too long. */
    private void swap(Connection c, LocalDate runDate, Map<String, Long> rows) {
        for (int attempt = 1; ; attempt++) {
            try {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '" + settings.swapLockTimeout().toMillis() + "ms'");
                    List<String> live = new ArrayList<>();
                    for (Served s : SERVED) {
                        if (tableExists(c, s.name())) {
                            live.add(q(s.name()));
                        }
                    }
                    if (!live.isEmpty()) {
                        // All locks first, in the documented order, so no reader ends up half before and half after.
                        st.execute("LOCK TABLE " + String.join(", ", live) + " IN ACCESS EXCLUSIVE MODE");
                    }
                    for (Served s : SERVED) {
                        String old = s.name() + "_old";
                        String staging = s.name() + "_staging";
                        st.execute("DROP TABLE IF EXISTS " + q(old));
                        st.execute("ALTER TABLE IF EXISTS " + q(s.name()) + " RENAME TO " + quote(old));
                        st.execute("ALTER TABLE " + q(staging) + " RENAME TO " + quote(s.name()));
                        st.execute("DROP TABLE IF EXISTS " + q(old));
                        st.execute("ALTER INDEX " + q(staging + "_pkey") + " RENAME TO " + quote(s.name() + "_pkey"));
                        for (List<String> idx : s.indexes()) {
                            st.execute("ALTER INDEX IF EXISTS " + q(indexName(staging, idx)) + " RENAME TO "
                                    + quote(indexName(s.name(), idx)));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q(LOG_TABLE) + " (run_date, "
                        + "customer_scores_rows, campaign_targets_rows, segment_summary_rows, source) "
                        + "VALUES (?, ?, ?, ?, ?)")) {
                    ps.setObject(1, runDate);
                    ps.setLong(2, rows.get(Table.CUSTOMER_SCORES.tableName()));
                    ps.setLong(3, rows.get(Table.CAMPAIGN_TARGETS.tableName()));
                    ps.setLong(4, rows.get(Table.SEGMENT_SUMMARY.tableName()));
                    ps.setString(5, warehouse.root());
                    ps.executeUpdate();
                }
                beforeCommit.accept(c);
                c.commit();
                return;
            } catch (SQLException e) {
                rollback(c);
                String state = e.getSQLState();
                boolean contention = "55P03".equals(state) || "40P01".equals(state);
                if (contention && attempt < settings.swapAttempts()) {
                    log.info("  swap attempt %d waited %s for readers' locks (%s); retrying", attempt,
                            settings.swapLockTimeout(), firstLine(e.getMessage()));
                    sleep(1000L * attempt);
                    continue;
                }
                if ("2BP01".equals(state)) {
                    throw new CvmException("the swap was rolled back because another object (a view?) depends on a "
                            + "served table: " + firstLine(e.getMessage()) + ". Views bind to the table, not its "
                            + "name: drop them, or recreate them after each publish (docs/operations.md)", e);
                }
                throw new CvmException("the swap was rolled back" + (contention ? " after " + attempt
                        + " attempts (readers held locks longer than cvm.publish.postgres.swap-lock-timeout)" : "")
                        + ": " + describe(e), e);
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is broken; the caller's close reports nothing more useful
                }
            }
        }
    }

    private void ensureSchema(Connection c) throws SQLException {
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, settings.schema());
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        if (!exists) {
            exec(c, "CREATE SCHEMA " + quote(settings.schema()));
        }
        exec(c, "CREATE TABLE IF NOT EXISTS " + q(LOG_TABLE) + " ("
                + "publish_id bigserial PRIMARY KEY, "
                + "run_date date NOT NULL, "
                + "published_at timestamp with time zone NOT NULL DEFAULT now(), "
                + "published_by text NOT NULL DEFAULT current_user, "
                + "customer_scores_rows bigint NOT NULL, "
                + "campaign_targets_rows bigint NOT NULL, "
                + "segment_summary_rows bigint NOT NULL, "
                + "source text)");
        for (String r : settings.readers()) {
            if (!queryBoolean(c, "SELECT has_schema_privilege(?, ?, 'USAGE')", r, settings.schema())) {
                exec(c, "GRANT USAGE ON SCHEMA " + quote(settings.schema()) + " TO " + quote(r));
            }
            exec(c, "GRANT SELECT ON " + q(LOG_TABLE) + " TO " + quote(r));
        }
    }

    /** The run date being served: that of the latest publish, or null. */
    private LocalDate servedRunDate(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT run_date FROM " + q(LOG_TABLE)
                     + " ORDER BY publish_id DESC LIMIT 1")) {
            return rs.next() ? rs.getObject(1, LocalDate.class) : null;
        }
    }

    private boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?")) {
            ps.setString(1, settings.schema());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** schema.table, quoted. */
    private String q(String table) {
        return quote(settings.schema()) + "." + quote(table);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String pgLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean queryBoolean(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // nothing to add to the original failure
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CvmException("interrupted while waiting to retry the swap");
        }
    }

    private static String describe(SQLException e) {
        return firstLine(e.getMessage()) + (e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
