package dev.cvm.valuemap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE_TYPE;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT_METHOD;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT_WITHIN_TYPE;

/**
 * The importance weight of every attribute (non-negative, summing to 1) and how it was obtained. The configured
 * method is tried first, then the other one, then equal weights; {@link #notes()} says why a method was passed over.
 *
 * @param method  the method the weights come from
 * @param weights attribute -> weight, alphabetical
 * @param types   attribute -> quality | price (or whatever type the data carries)
 * @param notes   one line per method tried, in order
 */
public record AttributeWeights(WeightMethod method, Map<String, Double> weights, Map<String, String> types,
                               List<String> notes) {

    public static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField(ATTRIBUTE, DataTypes.StringType, false),
            DataTypes.createStructField(ATTRIBUTE_TYPE, DataTypes.StringType, true),
            DataTypes.createStructField(WEIGHT, DataTypes.DoubleType, false),
            DataTypes.createStructField(WEIGHT_WITHIN_TYPE, DataTypes.DoubleType, true),
            DataTypes.createStructField(WEIGHT_METHOD, DataTypes.StringType, false)));

    /** Derives the weights from responses as built by {@link SurveyResponses} (small aggregates only). */
    static AttributeWeights derive(Dataset<Row> responses, AttributeCatalog catalog, ValueMapSettings settings) {
        List<String> attributes = catalog.names();
        WeightMethod first = settings.weights();
        WeightMethod second = first == WeightMethod.REGRESSION ? WeightMethod.STATED : WeightMethod.REGRESSION;
        List<String> notes = new ArrayList<>();
        for (WeightMethod m : List.of(first, second)) {
            WeightFit fit = m == WeightMethod.REGRESSION
                    ? RegressionWeights.fit(responses, attributes, settings.minRespondents())
                    : StatedWeights.fit(responses, attributes, settings.minRespondents());
            notes.add(m.label() + ": " + fit.detail());
            if (fit.usable()) {
                return new AttributeWeights(m, fit.weights(), catalog.types(), notes);
            }
        }
        Map<String, Double> equal = new LinkedHashMap<>();
        for (String a : attributes) {
            equal.put(a, 1.0 / attributes.size());
        }
        notes.add(attributes.isEmpty() ? "equal: no attributes rated" : "equal: 1/" + attributes.size() + " each");
        return new AttributeWeights(WeightMethod.EQUAL, equal, catalog.types(), notes);
    }

    public AttributeWeights {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        notes = List.copyOf(notes);
    }

    public double weight(String attribute) {
        return weights.getOrDefault(attribute, 0.0);
    }

    /** Weight renormalised over the attributes of the same type; null when they all weigh 0. */
    public Double weightWithinType(String attribute) {
        String type = types.get(attribute);
        double total = weights.entrySet().stream()
                .filter(e -> java.util.Objects.equals(types.get(e.getKey()), type))
                .mapToDouble(Map.Entry::getValue).sum();
        return total > 0 ? weight(attribute) / total : null;
    }

    /** A small frame (one row per attribute) to broadcast-join: attribute, attribute_type, weight, ... */
    Dataset<Row> asFrame(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (String a : weights.keySet()) {
            rows.add(RowFactory.create(a, types.get(a), weight(a), weightWithinType(a), method.label()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** "network_quality 0.300, price 0.200, ..." for the log. */
    public String describe() {
        return weights.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
