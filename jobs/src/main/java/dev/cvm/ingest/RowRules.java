package dev.cvm.ingest;

import dev.cvm.config.IngestSettings;
import dev.cvm.contract.ColumnSpec;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.LogicalType;
import org.apache.spark.sql.Column;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * The per-row rules of the contract as Spark column expressions (no UDFs), in the order they are reported:
 * a row that breaks several rules is quarantined once, under the first.
 */
final class RowRules {
    private RowRules() {}

    record Check(String rule, String column, Column broken) {}

    static List<Check> checks(DatasetSpec spec, LocalDate runDate, IngestSettings settings) {
        List<Check> checks = new ArrayList<>();
        for (String k : spec.key()) {
            Column c = col(k);
            Column blank = spec.column(k).orElseThrow().type() == LogicalType.STRING
                    ? c.isNull().or(trim(c).equalTo(lit(""))) : c.isNull();
            checks.add(new Check(Rule.NULL_KEY, k, blank));
        }
        for (ColumnSpec c : spec.columns()) {
            boolean isId = c.type() == LogicalType.STRING && (spec.key().contains(c.name()) || c.references() != null);
            if (isId) {
                checks.add(new Check(Rule.KEY_TOO_LONG, c.name(), length(col(c.name())).gt(settings.maxKeyLength())));
            }
        }
        for (ColumnSpec c : spec.columns()) {
            if (c.required() && !spec.key().contains(c.name())) {
                checks.add(new Check(Rule.NULL_VALUE, c.name(), col(c.name()).isNull()));
            }
        }
        for (ColumnSpec c : spec.columns()) {
            if (c.type() == LogicalType.DOUBLE) {
                Column v = col(c.name());
                checks.add(new Check(Rule.NON_FINITE, c.name(), isnan(v)
                        .or(v.equalTo(lit(Double.POSITIVE_INFINITY))).or(v.equalTo(lit(Double.NEGATIVE_INFINITY)))));
            }
        }
        for (ColumnSpec c : spec.columns()) {
            if (c.min() != null && c.min() == 0.0 && c.max() == null) {
                checks.add(new Check(Rule.NEGATIVE, c.name(), col(c.name()).lt(0)));
            } else if (c.min() != null || c.max() != null) {
                Column v = col(c.name());
                Column bad = lit(false);
                if (c.min() != null) {
                    bad = bad.or(v.lt(c.min()));
                }
                if (c.max() != null) {
                    bad = bad.or(v.gt(c.max()));
                }
                checks.add(new Check(Rule.OUT_OF_RANGE, c.name(), bad));
            }
        }
        for (ColumnSpec c : spec.columns()) {
            if (c.isTemporal()) {
                // Anything on the run date itself is allowed (timestamps by their UTC date).
                Column day = c.type() == LogicalType.DATE ? col(c.name()) : to_date(col(c.name()));
                checks.add(new Check(Rule.DATE_AFTER_RUN_DATE, c.name(), day.gt(lit(runDate))));
                checks.add(new Check(Rule.DATE_TOO_OLD, c.name(), day.lt(lit(settings.minDate()))));
            }
        }
        for (String[] pair : spec.orderedDates()) {
            checks.add(new Check(Rule.END_BEFORE_START, pair[1], col(pair[1]).lt(col(pair[0]))));
        }
        return checks;
    }

    /** A struct (rule, column) of the first broken rule, or null for a clean row. */
    static Column firstViolation(List<Check> checks) {
        Column result = null;
        for (Check c : checks) {
            Column value = struct(lit(c.rule()).as("rule"), lit(c.column()).as("column"));
            // A null comparison is "not broken": nulls are the business of the null rules.
            Column cond = c.broken().isNotNull().and(c.broken());
            result = result == null ? when(cond, value) : result.when(cond, value);
        }
        return result == null ? lit(null) : result;
    }
}
