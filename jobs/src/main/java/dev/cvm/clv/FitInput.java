package dev.cvm.clv;

import dev.cvm.CvmException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

/**
 * Reads the files a data scientist hands to {@code cvm clv-fit}: CSV with a header, Parquet, or whitespace-separated
 * text (CDNOW_sample.txt), and parses dates and amounts written in the usual ways without trusting any of it. Text
 * columns stay strings until parsed here; what cannot be parsed becomes null for the caller to count.
 */
public final class FitInput {
    /** Column added to whitespace input: true when a line has a different number of fields than the columns. */
    public static final String MALFORMED = "_malformed";

    public enum Format {
        CSV, PARQUET, WHITESPACE;

        public static Format parse(String s) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(s.strip())) {
                    return f;
                }
            }
            throw CvmException.usage("--format must be csv, parquet or whitespace, got '" + s + "'");
        }
    }

    private FitInput() {}

    /** Format from the extension (.csv, .parquet, .txt/.dat/.tsv = whitespace) or, for a directory, its files. */
    public static Format detect(SparkSession spark, String path) {
        Format byName = byExtension(path);
        if (byName != null) {
            return byName;
        }
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                throw CvmException.usage("input not found: " + path);
            }
            if (fs.getFileStatus(p).isDirectory()) {
                for (FileStatus st : fs.listStatus(p)) {
                    String name = st.getPath().getName();
                    if (name.startsWith("_") || name.startsWith(".")) {
                        continue;
                    }
                    Format f = byExtension(name);
                    if (f != null) {
                        return f;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect " + path, e);
        }
        throw CvmException.usage("cannot tell the format of " + path + " from its name: pass --format csv|parquet|"
                + "whitespace");
    }

    private static Format byExtension(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz") || n.endsWith(".bz2")) {
            n = n.substring(0, n.lastIndexOf('.'));
        }
        if (n.endsWith(".csv")) {
            return Format.CSV;
        }
        if (n.endsWith(".parquet")) {
            return Format.PARQUET;
        }
        if (n.endsWith(".txt") || n.endsWith(".dat") || n.endsWith(".tsv")) {
            return Format.WHITESPACE;
        }
        return null;
    }

    /**
     * Reads the input. CSV: first line is the header, every column a string, blank lines skipped. Parquet: as
     * stored. Whitespace: fields split on runs of blanks/tabs, blank lines skipped, column names from
     * {@code columns} or (with {@code header}) from the first line, plus {@value #MALFORMED}.
     */
    public static Dataset<Row> read(SparkSession spark, String path, Format format, List<String> columns,
                                    boolean header) {
        Dataset<Row> df = switch (format) {
            case CSV -> spark.read().option("header", "true").option("inferSchema", "false")
                    .option("mode", "PERMISSIVE").csv(path);
            case PARQUET -> spark.read().parquet(path);
            case WHITESPACE -> readWhitespace(spark, path, columns, header);
        };
        if (format == Format.CSV && columns != null && !columns.isEmpty()) {
            if (columns.size() != df.columns().length) {
                throw CvmException.usage("--columns names " + columns.size() + " columns but " + path + " has "
                        + df.columns().length + ": " + Arrays.toString(df.columns()));
            }
            df = df.toDF(columns.toArray(String[]::new));
        }
        // Header cells sometimes carry a UTF-8 byte-order mark or stray blanks.
        String[] clean = Arrays.stream(df.columns()).map(c -> c.replace("\uFEFF", "").strip()).toArray(String[]::new);
        return df.toDF(clean);
    }

    private static Dataset<Row> readWhitespace(SparkSession spark, String path, List<String> columns, boolean header) {
        Column line = regexp_replace(col("value"), "^\\s+|\\s+$", "");
        Dataset<Row> lines = spark.read().text(path).select(line.as("line")).where(col("line").notEqual(""));
        List<String> names = columns == null ? List.of() : columns;
        if (header) {
            Row first = lines.first();
            if (first == null) {
                throw CvmException.usage(path + " is empty");
            }
            String h = first.getString(0);
            if (names.isEmpty()) {
                names = Arrays.asList(h.split("\\s+"));
            }
            lines = lines.where(col("line").notEqual(h));
        }
        if (names.isEmpty()) {
            throw CvmException.usage("whitespace-separated input needs its column names: pass --columns "
                    + "name1,name2,... (e.g. masterid,id,date,cds,amount for CDNOW_sample.txt) or --header");
        }
        Column fields = split(col("line"), "\\s+");
        List<Column> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(fields.getItem(i).as(names.get(i)));
        }
        out.add(size(fields).notEqual(names.size()).as(MALFORMED));
        return lines.select(out.toArray(Column[]::new));
    }

    /** The column of {@code df} called {@code name} (exact, else case-insensitive), or null when absent. */
    public static String find(Dataset<Row> df, String name) {
        for (String c : df.columns()) {
            if (c.equals(name)) {
                return c;
            }
        }
        for (String c : df.columns()) {
            if (c.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** As {@link #find} but a usage error naming the option and the columns that exist when absent. */
    public static String require(Dataset<Row> df, String name, String option) {
        String c = find(df, name);
        if (c == null) {
            throw CvmException.usage("column '" + name + "' not found (set it with " + option + "); the input has "
                    + Arrays.toString(df.columns()));
        }
        return c;
    }

    /**
     * A date from a date, timestamp (its UTC date), yyyyMMdd integer, or string in one of: {@code extraPattern}
     * (if given), yyyyMMdd, yyyy-MM-dd (1- or 2-digit month/day), ISO timestamps ("yyyy-MM-dd HH:mm:ss",
     * "yyyy-MM-ddTHH:mm:ss[.SSS][Z|±hh:mm]"), yyyy/MM/dd [HH:mm:ss]. Anything else is null. Day-first and
     * month-first slash dates are ambiguous and deliberately not guessed: pass --date-format.
     */
    public static Column parseDate(Column c, DataType type, String extraPattern) {
        if (type.equals(DataTypes.DateType)) {
            return c;
        }
        if (type.equals(DataTypes.TimestampType) || type.equals(DataTypes.TimestampNTZType)) {
            return to_date(c);
        }
        if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)) {
            return parseDate(c.cast(DataTypes.StringType), DataTypes.StringType, extraPattern);
        }
        if (!type.equals(DataTypes.StringType)) {
            throw CvmException.usage("the date column has type " + type.simpleString()
                    + "; expected a date, timestamp, yyyyMMdd integer or text");
        }
        Column s = regexp_replace(c, "^\\s+|\\s+$", "");
        List<Column> tries = new ArrayList<>();
        if (extraPattern != null && !extraPattern.isBlank()) {
            tries.add(try_to_date(s, extraPattern));
            tries.add(to_date(try_to_timestamp(s, lit(extraPattern))));
        }
        tries.add(when(s.rlike("^\\d{8}$"), try_to_date(s, "yyyyMMdd")));
        tries.add(when(s.rlike("^\\d{4}-\\d{1,2}-\\d{1,2}([ T].*)?$"), to_date(try_to_timestamp(s))));
        tries.add(when(s.rlike("^\\d{4}/\\d{1,2}/\\d{1,2}$"), try_to_date(s, "yyyy/M/d")));
        tries.add(when(s.rlike("^\\d{4}/\\d{1,2}/\\d{1,2} "), to_date(try_to_timestamp(s, lit("yyyy/M/d H:m:s")))));
        return coalesce(tries.toArray(Column[]::new));
    }

    /**
     * A finite double from a numeric column or from text such as "12.5", " 12.50 ", "$12.50", "1e3"; null for
     * anything else (including NaN and infinities).
     */
    public static Column parseNumber(Column c, DataType type) {
        Column d;
        if (type instanceof NumericType) {
            d = c.cast(DataTypes.DoubleType);
        } else if (type.equals(DataTypes.StringType)) {
            d = regexp_replace(c, "^\\s*[$€£]?\\s*|\\s+$", "").try_cast(DataTypes.DoubleType);
        } else {
            throw CvmException.usage("a numeric column has type " + type.simpleString() + "; expected numbers or text");
        }
        return when(d.isNull().or(isnan(d)).or(d.equalTo(Double.POSITIVE_INFINITY))
                .or(d.equalTo(Double.NEGATIVE_INFINITY)), lit(null).cast(DataTypes.DoubleType)).otherwise(d);
    }

    /** Text-ish emptiness: null, or a string of blanks only. */
    public static Column blank(Column c, DataType type) {
        if (type.equals(DataTypes.StringType)) {
            return c.isNull().or(regexp_replace(c, "\\s+", "").equalTo(""));
        }
        return c.isNull();
    }
}
