package dev.cvm.models;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

/**
 * The input columns a model uses: numeric (numbers and booleans, cast to double, median-imputed), categorical
 * (strings, one-hot encoded), and the numeric columns that get a missing indicator because they have nulls.
 *
 * @param dropped columns considered and left out, with the reason (for the registry and the evaluate report)
 */
public record FeatureSet(List<String> numeric, List<String> categorical, List<String> missingIndicators,
                         Map<String, String> dropped) implements Serializable {

    public List<String> inputColumns() {
        List<String> all = new ArrayList<>(numeric);
        all.addAll(categorical);
        return all;
    }

    public boolean isEmpty() {
        return numeric.isEmpty() && categorical.isEmpty();
    }

    /**
     * Chooses the columns of {@code schema} by type: numbers and booleans are numeric, strings categorical; dates,
     * timestamps and anything else are left out. {@code excluded} columns are never used.
     */
    public static FeatureSet byType(StructType schema, Collection<String> excluded) {
        List<String> numeric = new ArrayList<>();
        List<String> categorical = new ArrayList<>();
        Map<String, String> dropped = new LinkedHashMap<>();
        for (StructField f : schema.fields()) {
            if (excluded.contains(f.name())) {
                continue;
            }
            if (f.dataType() instanceof NumericType || f.dataType() instanceof BooleanType) {
                numeric.add(f.name());
            } else if (f.dataType() instanceof StringType) {
                categorical.add(f.name());
            } else {
                dropped.put(f.name(), "type " + f.dataType().simpleString() + " is not a model input");
            }
        }
        return new FeatureSet(List.copyOf(numeric), List.copyOf(categorical), List.of(), dropped);
    }

    /**
     * Checks the columns on the rows a model is fitted on, in one pass: a column with no values, or a single value
     * and no nulls, carries no information and is dropped; a numeric column with nulls gets a missing indicator
     * (in account_features a null means "no evidence", e.g. never surveyed, which is itself informative).
     */
    public FeatureSet profiledOn(Dataset<Row> fit) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)).as("__n"));
        for (int i = 0; i < numeric.size(); i++) {
            Column c = col(quote(numeric.get(i))).cast("double");
            aggs.add(count(c).as("nn" + i));
            aggs.add(min(c).as("lo" + i));
            aggs.add(max(c).as("hi" + i));
        }
        for (int i = 0; i < categorical.size(); i++) {
            Column c = col(quote(categorical.get(i)));
            aggs.add(count(c).as("cn" + i));
            aggs.add(approx_count_distinct(c).as("cd" + i));
        }
        Row r = fit.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
        long n = r.getLong(0);
        List<String> num = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> cat = new ArrayList<>();
        Map<String, String> drop = new LinkedHashMap<>(dropped);
        int k = 1;
        for (String name : numeric) {
            long nonNull = r.getLong(k);
            Object lo = r.get(k + 1);
            Object hi = r.get(k + 2);
            k += 3;
            if (nonNull == 0) {
                drop.put(name, "no values");
            } else if (nonNull == n && lo.equals(hi)) {
                drop.put(name, "constant");
            } else {
                num.add(name);
                if (nonNull < n) {
                    missing.add(name);
                }
            }
        }
        for (String name : categorical) {
            long nonNull = r.getLong(k);
            long distinct = r.getLong(k + 1);
            k += 2;
            if (nonNull == 0) {
                drop.put(name, "no values");
            } else if (nonNull == n && distinct <= 1) {
                drop.put(name, "constant");
            } else {
                cat.add(name);
            }
        }
        return new FeatureSet(List.copyOf(num), List.copyOf(cat), List.copyOf(missing), drop);
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
