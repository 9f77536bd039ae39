package dev.cvm.programs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The contact channel per account: the one with the highest expected net value, response x value - cost, where the
 * response rate blends the account's own history on the channel with its micro-segment's (empirical Bayes: the
 * segment rate counts as {@code response-prior-weight} contacts), falling back to the channel's overall rate.
 */
public final class ChannelChoice {
    private ChannelChoice() {}

    public static Dataset<Row> choose(Dataset<Row> record, Dataset<Row> pastContacts, ProgramSettings s) {
        List<String> channels = new ArrayList<>(s.channelCost().keySet());
        Dataset<Row> contacts = pastContacts.select(col("account_id"), lower(col("channel")).as("channel"),
                col("responded").cast("double").as("resp"));
        Dataset<Row> own = contacts.groupBy("account_id").pivot("channel", new ArrayList<>(channels))
                .agg(count(lit(1)).as("n"), sum("resp").as("r"));
        Dataset<Row> bySegment = contacts.join(record.select("account_id", "micro_segment"), "account_id")
                .groupBy("micro_segment").pivot("channel", new ArrayList<>(channels))
                .agg(sum("resp").divide(count(lit(1))).as("rate"));
        Dataset<Row> overall = contacts.groupBy().pivot("channel", new ArrayList<>(channels))
                .agg(sum("resp").divide(count(lit(1))).as("rate"));
        // A pivot with one aggregate names its columns by the pivot value alone.
        for (String ch : channels) {
            overall = overall.withColumnRenamed(ch, "_all_" + ch);
            bySegment = bySegment.withColumnRenamed(ch, ch + "_rate");
        }
        Dataset<Row> df = record.join(own, "account_id", "left").join(bySegment, "micro_segment", "left")
                .crossJoin(overall);

        double k = s.responsePriorWeight();
        Column bestChannel = null;
        Column bestValue = null;
        List<String> helpers = new ArrayList<>();
        for (String ch : channels) {
            Column prior = coalesce(col(ch + "_rate"), col("_all_" + ch), lit(0.0));
            Column rate = coalesce(col(ch + "_r"), lit(0.0)).plus(prior.multiply(k))
                    .divide(coalesce(col(ch + "_n"), lit(0L)).plus(k));
            String rc = "_rate_" + ch;
            df = df.withColumn(rc, rate)
                    .withColumn("_ev_" + ch, col(rc).multiply(col("program_value")).minus(lit(s.channelCost().get(ch))));
            helpers.add(rc);
            helpers.add("_ev_" + ch);
            helpers.add(ch + "_n");
            helpers.add(ch + "_r");
            helpers.add(ch + "_rate");
            helpers.add("_all_" + ch);
        }
        Column max = greatest(channels.stream().map(ch -> col("_ev_" + ch)).toArray(Column[]::new));
        if (channels.size() == 1) {
            max = col("_ev_" + channels.get(0));
        }
        for (String ch : channels) {
            Column isBest = col("_ev_" + ch).equalTo(max);
            bestChannel = bestChannel == null ? when(isBest, lit(ch)) : bestChannel.when(isBest, lit(ch));
            bestValue = bestValue == null ? when(isBest, col("_rate_" + ch)) : bestValue.when(isBest, col("_rate_" + ch));
        }
        Column costOf = null;
        for (Map.Entry<String, Double> e : s.channelCost().entrySet()) {
            Column c = col("channel").equalTo(lit(e.getKey()));
            costOf = costOf == null ? when(c, lit(e.getValue())) : costOf.when(c, lit(e.getValue()));
        }
        return df.withColumn("channel", bestChannel)
                .withColumn("response_probability", bestValue)
                .withColumn("contact_cost", costOf)
                .withColumn("expected_net_value", max)
                .drop(helpers.toArray(new String[0]));
    }
}
