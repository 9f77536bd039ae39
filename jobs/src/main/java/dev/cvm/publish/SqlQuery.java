package dev.cvm.publish;

import dev.cvm.CvmException;
import dev.cvm.config.CatalogSettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;

/**
 * {@code cvm sql}: one read-only Spark SQL statement over the catalog, its first rows rendered as a text table.
 * Read-only because it is meant for looking; the tables are written by the pipeline only.
 */
public final class SqlQuery {
    private SqlQuery() {}

    /** The first rows of a result, every value as text (null stays null); {@code more} when rows were left out. */
    public record Result(List<String> columns, List<Boolean> numeric, List<List<String>> rows, boolean more) {}

    static final Set<String> READ_STATEMENTS = Set.of("SELECT", "WITH", "VALUES", "TABLE", "FROM", "SHOW", "DESCRIBE",
            "DESC", "EXPLAIN");
    private static final Pattern WRITE_WORD = Pattern.compile(
            "\\b(INSERT|MERGE|UPDATE|DELETE|DROP|CREATE|ALTER|TRUNCATE|OVERWRITE|MSCK|REFRESH|CACHE|UNCACHE|LOAD|ANALYZE|"
                    + "VACUUM|OPTIMIZE|RESTORE|GRANT|REVOKE|SET|RESET|USE|ADD)\\b", Pattern.CASE_INSENSITIVE);

    /** Fails (usage error) unless the statement only reads. */
    public static void checkReadOnly(String sql) {
        String code = codeOnly(sql).trim();
        String stripped = code.replaceFirst("^[\\s(]+", "");
        Matcher first = Pattern.compile("^([A-Za-z]+)").matcher(stripped);
        String word = first.find() ? first.group(1).toUpperCase(Locale.ROOT) : "";
        if (!READ_STATEMENTS.contains(word)) {
            throw CvmException.usage("cvm sql runs read-only statements (" + String.join(", ",
                    new java.util.TreeSet<>(READ_STATEMENTS)) + "), got " + (word.isEmpty() ? "nothing"
                    : word) + "; the tables are written by the pipeline only");
        }
        Matcher w = WRITE_WORD.matcher(stripped);
        if (w.find()) {
            throw CvmException.usage("cvm sql runs read-only statements; this one contains "
                    + w.group(1).toUpperCase(Locale.ROOT));
        }
        if (code.replaceFirst(";\\s*$", "").contains(";")) {
            throw CvmException.usage("cvm sql runs one statement at a time");
        }
    }

    /** The statement without comments, string literals and quoted identifiers (so their words do not count). */
    static String codeOnly(String sql) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                out.append(' ');
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (j < n && sql.charAt(j) != c) {
                    if (sql.charAt(j) == '\\' && c != '`') {
                        j++;
                    }
                    j++;
                }
                i = j + 1;
                out.append(c == '`' ? " x " : " '' ");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Runs the statement with {@code database} (when it exists) as the current database; the first {@code limit} rows. */
    public static Result run(SparkSession spark, CatalogSettings catalog, String database, String sql, int limit) {
        checkReadOnly(sql);
        Dataset<Row> df;
        try {
            if (database != null) {
                if (spark.catalog().databaseExists(database)) {
                    spark.catalog().setCurrentDatabase(database);
                } else {
                    System.err.println("cvm: catalog database " + database + " does not exist yet: run `cvm publish` "
                            + "first; names resolve in the default database");
                }
            }
            df = spark.sql(sql.trim().replaceFirst(";\\s*$", ""));
        } catch (Exception e) { // AnalysisException is a checked exception that Scala does not declare
            throw CatalogPublisher.explain(e, catalog);
        }
        StructField[] fields = df.schema().fields();
        List<String> names = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        List<Column> asText = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            names.add(fields[i].name());
            DataType t = fields[i].dataType();
            numeric.add(t instanceof NumericType);
            asText.add(col("_c" + i).cast("string"));
        }
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            positional.add("_c" + i);
        }
        Dataset<Row> text = df.toDF(positional.toArray(new String[0])).select(asText.toArray(new Column[0]));
        List<List<String>> rows = new ArrayList<>();
        boolean more = false;
        for (Row r : text.takeAsList(limit + 1)) {
            if (rows.size() == limit) {
                more = true;
                break;
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                values.add(r.isNullAt(i) ? null : r.getString(i));
            }
            rows.add(values);
        }
        return new Result(names, numeric, rows, more);
    }

    /** A text table (or one block per row when {@code vertical}); values longer than {@code truncate} are cut. */
    public static String render(Result r, int truncate, boolean vertical) {
        List<List<String>> cells = new ArrayList<>();
        for (List<String> row : r.rows()) {
            List<String> out = new ArrayList<>();
            for (String v : row) {
                out.add(cell(v, truncate));
            }
            cells.add(out);
        }
        StringBuilder sb = new StringBuilder();
        int nCols = r.columns().size();
        if (vertical) {
            int w = r.columns().stream().mapToInt(String::length).max().orElse(0);
            for (int i = 0; i < cells.size(); i++) {
                sb.append("-[ row ").append(i + 1).append(" ]").append("-".repeat(Math.max(3, w))).append('\n');
                for (int c = 0; c < nCols; c++) {
                    sb.append(pad(r.columns().get(c), w, false)).append(" | ").append(cells.get(i).get(c)).append('\n');
                }
            }
        } else if (nCols > 0) {
            int[] w = new int[nCols];
            for (int c = 0; c < nCols; c++) {
                w[c] = r.columns().get(c).length();
                for (List<String> row : cells) {
                    w[c] = Math.max(w[c], row.get(c).length());
                }
            }
            StringBuilder line = new StringBuilder("+");
            for (int c = 0; c < nCols; c++) {
                line.append("-".repeat(w[c] + 2)).append('+');
            }
            line.append('\n');
            sb.append(line).append('|');
            for (int c = 0; c < nCols; c++) {
                sb.append(' ').append(pad(r.columns().get(c), w[c], false)).append(" |");
            }
            sb.append('\n').append(line);
            for (List<String> row : cells) {
                sb.append('|');
                for (int c = 0; c < nCols; c++) {
                    sb.append(' ').append(pad(row.get(c), w[c], r.numeric().get(c))).append(" |");
                }
                sb.append('\n');
            }
            sb.append(line);
        }
        int n = r.rows().size();
        sb.append(r.more() ? "first " + n + " rows shown (--limit N for more)" : n == 1 ? "1 row" : n + " rows")
                .append('\n');
        return sb.toString();
    }

    private static String cell(String v, int truncate) {
        if (v == null) {
            return "NULL";
        }
        String s = v.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ");
        if (truncate > 0 && s.length() > truncate) {
            s = truncate > 3 ? s.substring(0, truncate - 3) + "..." : s.substring(0, truncate);
        }
        return s;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
