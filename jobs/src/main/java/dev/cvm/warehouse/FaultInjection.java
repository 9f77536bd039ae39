package dev.cvm.warehouse;

import dev.cvm.CvmException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

/**
 * A test hook that makes one Delta write of {@link Warehouse} fail at a chosen point, to prove that a run dying there
 * leaves every table readable at its previous version and that a re-run repairs it. Off unless the JVM system
 * property {@value #PROPERTY} is set (only the driver needs it), as {@code <point>:<table>}:
 * <ul>
 *   <li>{@code before-write:T}: the stage stops just before writing T (tables written earlier in the stage are
 *       committed, T and later ones are not: a death between two tables);</li>
 *   <li>{@code during-write:T}: T's write job runs, and each of its tasks hands all its rows to the file writer and
 *       then throws instead of finishing, so the job fails and the Delta commit never happens (Spark discards
 *       the aborted tasks' files; an executor killed outright would leave them, unreferenced by any commit);</li>
 *   <li>{@code after-write:T}: the stage stops right after T's commit.</li>
 * </ul>
 */
public final class FaultInjection {
    public static final String PROPERTY = "cvm.fault-injection";

    public enum Point { BEFORE_WRITE, DURING_WRITE, AFTER_WRITE }

    /** The failure the hook throws; a CvmException so the CLI prints it as one line with exit code 1. */
    public static final class InjectedFault extends CvmException {
        InjectedFault(String message) {
            super(message);
        }
    }

    private record Fault(Point point, String table) {}

    private FaultInjection() {}

    /** Throws when the hook is set to fail at {@code point} of {@code table}. */
    static void at(Point point, Table table) {
        if (matches(point, table)) {
            throw fault(point, table.tableName());
        }
    }

    /** {@code rows} unchanged, or, for a during-write fault of {@code table}, rows whose write tasks fail. */
    static Dataset<Row> duringWrite(Table table, Dataset<Row> rows) {
        if (!matches(Point.DURING_WRITE, table)) {
            return rows;
        }
        return rows.mapPartitions(new FailAfterLastRow(table.tableName()), Encoders.row(rows.schema()));
    }

    private static boolean matches(Point point, Table table) {
        return active().filter(f -> f.point() == point && f.table().equals(table.tableName())).isPresent();
    }

    private static Optional<Fault> active() {
        String spec = System.getProperty(PROPERTY, "").trim();
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        int colon = spec.indexOf(':');
        Point point = null;
        if (colon > 0) {
            String name = spec.substring(0, colon).toUpperCase(Locale.ROOT).replace('-', '_');
            for (Point p : Point.values()) {
                if (p.name().equals(name)) {
                    point = p;
                }
            }
        }
        String table = colon > 0 ? spec.substring(colon + 1) : "";
        boolean known = false;
        for (Table t : Table.values()) {
            known |= t.tableName().equals(table);
        }
        if (point == null || !known) {
            // A typo must not let a fault-injection test pass by never failing.
            throw CvmException.usage("-D" + PROPERTY + " must be before-write:<table>, during-write:<table> or "
                    + "after-write:<table> with a cvm table name, got '" + spec + "'; unset it to run normally");
        }
        return Optional.of(new Fault(point, table));
    }

    private static InjectedFault fault(Point point, String table) {
        return new InjectedFault("injected fault " + point.name().toLowerCase(Locale.ROOT).replace('_', '-') + ":"
                + table + " (system property " + PROPERTY + "): unset it to run normally");
    }

    /** Passes every row on to the writer, then fails the task instead of letting it finish. */
    private static final class FailAfterLastRow implements MapPartitionsFunction<Row, Row> {
        private final String table;

        FailAfterLastRow(String table) {
            this.table = table;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    if (!rows.hasNext()) {
                        TaskContext task = TaskContext.get();
                        throw fault(Point.DURING_WRITE, table + (task == null ? ""
                                : " in write task of partition " + task.partitionId()));
                    }
                    return true;
                }

                @Override
                public Row next() {
                    return rows.next();
                }
            };
        }
    }
}
