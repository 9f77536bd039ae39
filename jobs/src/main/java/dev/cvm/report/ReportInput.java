package dev.cvm.report;

import dev.cvm.config.CvmConfig;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** What every section reads: the warehouse, the run date, and the config (program budgets, parity band). */
record ReportInput(Warehouse warehouse, LocalDate runDate, CvmConfig config) {

    /** The rows of {@code table} for the run date, without run_date; {@link Section.Unavailable} if the table is absent. */
    Dataset<Row> rows(Table table, String producingCommand) {
        if (!warehouse.exists(table)) {
            throw new Section.Unavailable("table <code>" + table.tableName() + "</code> does not exist in this "
                    + "warehouse: run <code>cvm " + producingCommand + " --run-date " + runDate + "</code> first.");
        }
        return warehouse.read(table).where(col(Table.RUN_DATE).equalTo(lit(runDate))).drop(Table.RUN_DATE);
    }

    /** The message for a table that exists but holds nothing for the run date. */
    Section.Unavailable noRows(Table table, String producingCommand) {
        return new Section.Unavailable("table <code>" + table.tableName() + "</code> has no rows for " + runDate
                + ": run <code>cvm " + producingCommand + " --run-date " + runDate + "</code>.");
    }

    static boolean has(Dataset<Row> df, String column) {
        return Arrays.asList(df.columns()).contains(column);
    }

    /** The first of {@code candidates} that is a column of {@code df}, or null. */
    static String firstColumn(Dataset<Row> df, String... candidates) {
        for (String c : candidates) {
            if (has(df, c)) {
                return c;
            }
        }
        return null;
    }

    /** A double field of a collected row, null when absent or null. */
    static Double dbl(Row r, String field) {
        int i = index(r, field);
        if (i < 0 || r.isNullAt(i)) {
            return null;
        }
        Object o = r.get(i);
        return o instanceof Number n ? n.doubleValue() : null;
    }

    static Long lng(Row r, String field) {
        int i = index(r, field);
        if (i < 0 || r.isNullAt(i)) {
            return null;
        }
        Object o = r.get(i);
        return o instanceof Number n ? n.longValue() : null;
    }

    static String str(Row r, String field) {
        int i = index(r, field);
        return i < 0 || r.isNullAt(i) ? null : String.valueOf(r.get(i));
    }

    static int index(Row r, String field) {
        if (r.schema() == null) {
            return -1;
        }
        return Arrays.asList(r.schema().fieldNames()).indexOf(field);
    }
}
