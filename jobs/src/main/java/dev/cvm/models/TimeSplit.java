package dev.cvm.models;

import dev.cvm.CvmException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The time-based split of the matured, labelled as-of dates of a run: never random across time.
 * <ul>
 *   <li>validation: the latest labelled as-of date, untouched until the model is finished;</li>
 *   <li>held-out: a share ({@code cvm.models.holdout-share}) of the accounts of the last training date, chosen by a
 *       seeded hash of account_id, for model selection and calibration;</li>
 *   <li>fit: every earlier labelled date, plus the rest of the last training date.</li>
 * </ul>
 *
 * @param trainingDates the dates that contribute fit rows (all before the validation date)
 */
public record TimeSplit(List<LocalDate> trainingDates, LocalDate holdoutDate, double holdoutShare,
                        LocalDate validationDate, long seed) {
    public static final String AS_OF = "as_of_date";
    private static final int BUCKETS = 10_000;

    public static TimeSplit plan(List<LocalDate> labelledDates, double holdoutShare, long seed) {
        TreeSet<LocalDate> dates = new TreeSet<>(labelledDates);
        int needed = holdoutShare >= 1.0 ? 3 : 2;
        if (dates.size() < needed) {
            throw new CvmException("training needs at least " + needed + " matured, labelled as-of dates (one for "
                    + "validation, the earlier ones for fitting" + (needed == 3 ? " and the held-out date" : "")
                    + "), found " + dates.size() + " " + dates + ": build more with `cvm features --training`");
        }
        LocalDate validation = dates.last();
        LocalDate holdout = dates.lower(validation);
        List<LocalDate> training = dates.headSet(validation).stream()
                .filter(d -> holdoutShare < 1.0 || !d.equals(holdout)).toList();
        return new TimeSplit(training, holdout, holdoutShare, validation, seed);
    }

    private Column inHoldout() {
        Column bucket = pmod(xxhash64(lit(seed), col("account_id")), lit(BUCKETS));
        return col(AS_OF).equalTo(lit(holdoutDate)).and(bucket.lt(lit(Math.round(holdoutShare * BUCKETS))));
    }

    public Dataset<Row> fit(Dataset<Row> rows) {
        return rows.where(col(AS_OF).lt(lit(validationDate)).and(not(inHoldout())));
    }

    public Dataset<Row> holdout(Dataset<Row> rows) {
        return rows.where(inHoldout());
    }

    public Dataset<Row> validation(Dataset<Row> rows) {
        return rows.where(col(AS_OF).equalTo(lit(validationDate)));
    }
}
