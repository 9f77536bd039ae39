package dev.cvm.models;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.rint;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

/**
 * Decides what each column of a user's account-level table becomes for {@code cvm evaluate}, from the data itself:
 * numeric, 0/1 flag, age in days (dates), categorical, or dropped with a reason. Text is trimmed and the usual
 * spellings of "missing" (blank, NA, N/A, NaN, null, ?) become null first. One aggregation profiles every column.
 */
public final class ColumnInference {
    /** Text read as missing (compared lower-case, after trimming). */
    static final Set<String> MISSING_TOKENS = Set.of("", "na", "n/a", "nan", "null", "?", "#n/a", "nil");
    static final Set<String> TRUE_TOKENS = Set.of("yes", "y", "true", "t");
    static final Set<String> FALSE_TOKENS = Set.of("no", "n", "false", "f");
    private static final Set<String> ID_WORDS = Set.of("id", "no", "num", "number", "key", "code", "uuid", "guid",
            "clientnum", "rownumber", "rownum", "index");
    private static final String[] DATE_PATTERNS = {"yyyy-MM-dd", "yyyy/MM/dd", "MM/dd/yyyy", "dd.MM.yyyy",
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"};
    /** Integer columns with this many rows whose values are all distinct are identifiers whatever their name. */
    static final long UNIQUE_INTEGER_ROWS = 1000;

    public enum Kind { NUMERIC, FLAG, AGE_DAYS, CATEGORICAL, DROPPED }

    /**
     * What one source column becomes. {@code feature} is the model column name (sanitised), {@code expr} computes
     * it from the source row; both are null for dropped columns.
     */
    public record Decision(String source, Kind kind, String feature, String note, Column expr) {
        public String describe() {
            return kind == Kind.DROPPED ? "dropped: " + note
                    : kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    private final int maxCategories;
    private final double numericShare;

    public ColumnInference(int maxCategories, double numericShare) {
        this.maxCategories = maxCategories;
        this.numericShare = numericShare;
    }

    /** Trimmed text with the missing spellings as null. */
    static Column normalized(String name) {
        Column t = trim(col(FeatureSet.quote(name)).cast("string"));
        return when(lower(t).isin(MISSING_TOKENS.toArray()), lit(null).cast("string")).otherwise(t);
    }

    private static Column parsedDate(Column s) {
        List<Column> tries = new ArrayList<>();
        for (String p : DATE_PATTERNS) {
            tries.add(try_to_date(s, p));
        }
        tries.add(to_date(try_to_timestamp(s)));
        return coalesce(tries.toArray(new Column[0]));
    }

    public List<Decision> infer(Dataset<Row> df, List<String> columns) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)));
        Map<String, Integer> at = new LinkedHashMap<>();
        for (String name : columns) {
            DataType t = df.schema().apply(name).dataType();
            at.put(name, aggs.size());
            if (t instanceof StringType) {
                Column s = normalized(name);
                Column d = s.try_cast("double");
                aggs.add(count(s));
                aggs.add(approx_count_distinct(s));
                aggs.add(count(d));
                aggs.add(count(when(d.equalTo(rint(d)), 1)));
                aggs.add(count(when(lower(s).isin(TRUE_TOKENS.toArray()).or(lower(s).isin(FALSE_TOKENS.toArray())), 1)));
                aggs.add(count(parsedDate(s)));
            } else if (t instanceof NumericType) {
                Column d = col(FeatureSet.quote(name)).cast("double");
                aggs.add(count(d));
                aggs.add(approx_count_distinct(d));
                aggs.add(count(d));
                aggs.add(count(when(d.equalTo(rint(d)), 1)));
            } else {
                Column c = col(FeatureSet.quote(name));
                aggs.add(count(c));
                aggs.add(approx_count_distinct(c));
            }
        }
        Row r = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
        long n = r.getLong(0);

        // Integer columns that look unique get an exact distinct count (the approximate one is +-5%).
        Map<String, Long> exactDistinct = new LinkedHashMap<>();
        List<Column> exact = new ArrayList<>();
        List<String> exactNames = new ArrayList<>();
        for (String name : columns) {
            DataType t = df.schema().apply(name).dataType();
            int i = at.get(name);
            if (t instanceof StringType || t instanceof NumericType) {
                long nonNull = r.getLong(i);
                long parsed = r.getLong(i + 2);
                long integers = r.getLong(i + 3);
                boolean numericLike = t instanceof NumericType || parsed >= numericShare * nonNull;
                if (nonNull > 0 && numericLike && integers == parsed && r.getLong(i + 1) >= 0.9 * nonNull) {
                    Column v = t instanceof StringType ? normalized(name).try_cast("double")
                            : col(FeatureSet.quote(name)).cast("double");
                    exact.add(count_distinct(v));
                    exactNames.add(name);
                }
            }
        }
        if (!exact.isEmpty()) {
            Row e = df.agg(exact.get(0), exact.subList(1, exact.size()).toArray(new Column[0])).first();
            for (int k = 0; k < exactNames.size(); k++) {
                exactDistinct.put(exactNames.get(k), e.getLong(k));
            }
        }

        List<Decision> out = new ArrayList<>();
        List<String> dateColumns = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (String name : columns) {
            StructField f = df.schema().apply(name);
            out.add(decide(f, r, at.get(name), n, exactDistinct.get(name), used, dateColumns));
        }
        if (!dateColumns.isEmpty()) {
            out = withReferenceDate(df, out);
        }
        return out;
    }

    private Decision decide(StructField f, Row r, int i, long n, Long exactDistinct, Set<String> used,
                            List<String> dateColumns) {
        String name = f.name();
        DataType t = f.dataType();
        long nonNull = r.getLong(i);
        long distinct = r.getLong(i + 1);
        String feature = sanitize(name, used);
        Column src = col(FeatureSet.quote(name));
        if (!(t instanceof StringType || t instanceof NumericType || t instanceof BooleanType || isDate(t))) {
            return dropped(name, "type " + t.simpleString() + " is not supported");
        }
        if (nonNull == 0) {
            return dropped(name, "empty: every value is blank");
        }
        if (distinct <= 1) {
            if (nonNull == n) {
                return dropped(name, "constant");
            }
            Column present = (t instanceof StringType ? normalized(name) : src).isNotNull().cast("double");
            return new Decision(name, Kind.FLAG, feature, "1 = has a value, 0 = blank (a single value otherwise)",
                    present);
        }
        if (t instanceof BooleanType) {
            return new Decision(name, Kind.FLAG, feature, "", src.cast("double"));
        }
        if (isDate(t)) {
            dateColumns.add(name);
            return new Decision(name, Kind.AGE_DAYS, feature + "_age_days", "date", to_date(src));
        }
        String blanks = nonNull < n ? String.format(Locale.ROOT, "%,d blank", n - nonNull) : "";
        if (t instanceof NumericType) {
            if (isIdentifier(name, nonNull, r.getLong(i + 3), exactDistinct)) {
                return dropped(name, "identifier: a distinct integer on every row");
            }
            return new Decision(name, Kind.NUMERIC, feature, blanks, src.cast("double"));
        }
        // Text.
        Column s = normalized(name);
        long parsed = r.getLong(i + 2);
        long boolTokens = r.getLong(i + 4);
        long dates = r.getLong(i + 5);
        if (boolTokens == nonNull && distinct == 2) {
            Column flag = when(lower(s).isin(TRUE_TOKENS.toArray()), 1.0)
                    .when(lower(s).isin(FALSE_TOKENS.toArray()), 0.0);
            return new Decision(name, Kind.FLAG, feature, join("yes/true = 1", blanks), flag);
        }
        if (parsed >= numericShare * nonNull) {
            if (isIdentifier(name, nonNull, r.getLong(i + 3), exactDistinct)) {
                return dropped(name, "identifier: a distinct integer on every row");
            }
            String unparsed = parsed < nonNull
                    ? String.format(Locale.ROOT, "%,d non-numbers read as missing", nonNull - parsed) : "";
            return new Decision(name, Kind.NUMERIC, feature, join("numbers stored as text", blanks, unparsed),
                    s.try_cast("double"));
        }
        if (dates >= numericShare * nonNull) {
            dateColumns.add(name);
            return new Decision(name, Kind.AGE_DAYS, feature + "_age_days", "date text", parsedDate(s));
        }
        if (distinct > maxCategories) {
            return dropped(name, String.format(Locale.ROOT, "text with ~%,d distinct values (more than "
                    + "cvm.models.evaluate.max-categories = %d): an identifier or free text", distinct, maxCategories));
        }
        if (nonNull >= 20 && distinct > 0.5 * nonNull) {
            return dropped(name, String.format(Locale.ROOT, "text with ~%,d distinct values in %,d rows: an identifier "
                    + "or free text", distinct, nonNull));
        }
        return new Decision(name, Kind.CATEGORICAL, feature, join(distinct + " values", blanks), s);
    }

    /** Dates become their age in days at the latest date found in any date column (the table's "as of"). */
    private static List<Decision> withReferenceDate(Dataset<Row> df, List<Decision> decisions) {
        List<Column> maxes = new ArrayList<>();
        for (Decision d : decisions) {
            if (d.kind() == Kind.AGE_DAYS) {
                maxes.add(max(d.expr()));
            }
        }
        Row r = df.agg(maxes.get(0), maxes.subList(1, maxes.size()).toArray(new Column[0])).first();
        LocalDate ref = null;
        for (int k = 0; k < maxes.size(); k++) {
            Object o = r.get(k);
            LocalDate d = o instanceof java.sql.Date sd ? sd.toLocalDate() : (LocalDate) o;
            if (d != null && (ref == null || d.isAfter(ref))) {
                ref = d;
            }
        }
        List<Decision> out = new ArrayList<>();
        for (Decision d : decisions) {
            if (d.kind() == Kind.AGE_DAYS) {
                Column age = ref == null ? lit(null).cast("double") : datediff(lit(ref), d.expr()).cast("double");
                out.add(new Decision(d.source(), d.kind(), d.feature(), d.note() + "; age in days at " + ref, age));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * A column of distinct integers is an identifier when its name says so (customer_id, CLIENTNUM, RowNumber) or
     * when it has at least {@value #UNIQUE_INTEGER_ROWS} rows: a real integer measurement repeats values long before.
     */
    private static boolean isIdentifier(String name, long nonNull, long integers, Long exactDistinct) {
        if (exactDistinct == null || integers != nonNull || exactDistinct < nonNull || nonNull < 20) {
            return false;
        }
        return nonNull >= UNIQUE_INTEGER_ROWS || looksLikeIdName(name);
    }

    static boolean looksLikeIdName(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Arrays.stream(spaced.split("[^a-z0-9]+")).anyMatch(ID_WORDS::contains)
                || ID_WORDS.contains(name.toLowerCase(Locale.ROOT));
    }

    private static boolean isDate(DataType t) {
        return t instanceof DateType || t instanceof TimestampType || t instanceof TimestampNTZType;
    }

    private static Decision dropped(String name, String why) {
        return new Decision(name, Kind.DROPPED, null, why, null);
    }

    private static String join(String... parts) {
        return String.join("; ", Arrays.stream(parts).filter(p -> !p.isEmpty()).toList());
    }

    private static final Set<String> RESERVED = Set.of(ModelPipelines.LABEL, ModelPipelines.WEIGHT,
            ModelPipelines.FEATURES, ModelPipelines.SCALED, "probability", "prediction", "rawPrediction",
            Calibration.RAW, Calibration.CALIBRATED, RecordEvaluation.ID);

    /** Letters, digits and _ only (MLlib stages address columns by name; dots and spaces break that), unique. */
    static String sanitize(String name, Set<String> used) {
        String s = name.trim().replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s = "c_" + s;
        }
        if (RESERVED.contains(s)) {
            s = s + "_col";
        }
        String candidate = s;
        for (int k = 2; used.contains(candidate.toLowerCase(Locale.ROOT)); k++) {
            candidate = s + "_" + k;
        }
        used.add(candidate.toLowerCase(Locale.ROOT));
        return candidate;
    }
}
