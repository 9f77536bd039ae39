package dev.cvm.programs;

import dev.cvm.segments.CustomSchemes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * One primary program per account: the first configured rule whose condition holds. Also the program's value if the
 * account responds ({@code program_value}) and its offer. Accounts matching no rule get program "none".
 */
public final class ProgramAssignment {
    private ProgramAssignment() {}

    public static Dataset<Row> assign(Dataset<Row> record, ProgramSettings s) {
        Column program = null;
        Column value = null;
        Column offer = null;
        for (ProgramSettings.Rule r : s.rules()) {
            String where = "program " + r.program();
            Column cond = CustomSchemes.checked(record, where + " (when)", r.when());
            Column v = CustomSchemes.checked(record, where + " (value)", r.value()).cast("double");
            Column o = CustomSchemes.checked(record, where + " (offer)", r.offer()).cast("string");
            Column holds = cond.isNotNull().and(cond);
            program = program == null ? when(holds, lit(r.program())) : program.when(holds, lit(r.program()));
            value = value == null ? when(holds, v) : value.when(holds, v);
            offer = offer == null ? when(holds, o) : offer.when(holds, o);
        }
        return record.withColumn("program", program.otherwise(lit("none")))
                .withColumn("program_value", value.otherwise(lit(0.0)))
                .withColumn("offer", offer);
    }

    public static double budget(ProgramSettings s, String program) {
        return s.rules().stream().filter(r -> r.program().equals(program)).mapToDouble(ProgramSettings.Rule::budget)
                .findFirst().orElse(0);
    }

    static Column programIs(String p) {
        return col("program").equalTo(lit(p));
    }
}
