package dev.cvm.features;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static dev.cvm.features.AsOf.AS_OF;
import static dev.cvm.features.AsOf.countIf;
import static dev.cvm.features.AsOf.within;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

/**
 * Campaign history: contact counts, response and conversion rates overall and by channel. A rate is null when the
 * account was never contacted (on that channel): no evidence is not a zero rate.
 */
final class CampaignFeatures {
    private CampaignFeatures() {}

    static Dataset<Row> build(Dataset<Row> contacts, Dataset<Row> asOf, FeatureSettings s) {
        Dataset<Row> past = contacts.join(asOf, col("sent_date").lt(col(AS_OF)));
        Column responded = col("responded").cast("double");
        List<Column> aggs = new ArrayList<>();
        for (int w : s.windowsDays()) {
            aggs.add(countIf(within(col("sent_date"), w), lit(1)).as("contacts_" + w + "d"));
        }
        aggs.add(count(lit(1)).as("contacts_life"));
        aggs.add(avg(responded).as("response_rate"));
        aggs.add(avg(col("converted").cast("double")).as("conversion_rate"));
        for (String ch : s.contactChannels()) {
            aggs.add(avg(when(lower(col("channel")).equalTo(ch.toLowerCase()), responded))
                    .as("response_rate_" + ch.replaceAll("[^A-Za-z0-9_]", "_")));
        }
        aggs.add(datediff(col(AS_OF), max(col("sent_date"))).as("days_since_contact"));
        return past.groupBy(col("account_id"), col(AS_OF))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
    }
}
