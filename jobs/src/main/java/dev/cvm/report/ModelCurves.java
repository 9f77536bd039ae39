package dev.cvm.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.models.BinaryMetrics;
import dev.cvm.models.ModelVersion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The validation curves of one registered model version, read from its {@code details} JSON as the train stage
 * writes it ({@code dev.cvm.models.TrainStage}: "reliability" is a list of {@link BinaryMetrics.ReliabilityBin},
 * "deciles" a list of {@link BinaryMetrics.Decile}). The registry keeps no ROC points, only the AUC, so the ROC curve
 * is derived from the decile table (one point per decile cut-off).
 */
record ModelCurves(List<BinaryMetrics.ReliabilityBin> reliability, List<BinaryMetrics.Decile> deciles,
                   List<Point> roc) {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Point(double x, double y) {}

    static final ModelCurves NONE = new ModelCurves(List.of(), List.of(), List.of());

    boolean isEmpty() {
        return reliability.isEmpty() && deciles.isEmpty();
    }

    /** Empty curves when the version has no details; a loud error when its details do not parse. */
    static ModelCurves of(ModelVersion v) {
        if (v.details() == null || v.details().isBlank()) {
            return NONE;
        }
        try {
            JsonNode d = JSON.readTree(v.details());
            List<BinaryMetrics.ReliabilityBin> rel = list(d, "reliability",
                    new TypeReference<List<BinaryMetrics.ReliabilityBin>>() {});
            List<BinaryMetrics.Decile> dec = new ArrayList<>(list(d, "deciles",
                    new TypeReference<List<BinaryMetrics.Decile>>() {}));
            dec.sort(Comparator.comparingInt(BinaryMetrics.Decile::decile));
            return new ModelCurves(rel, List.copyOf(dec), rocFromDeciles(dec));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("model_registry " + v.name() + " v" + v.version()
                    + ": details JSON does not hold the train stage's evaluation tables: " + e.getMessage(), e);
        }
    }

    private static <T> List<T> list(JsonNode details, String key, TypeReference<List<T>> type) {
        JsonNode a = details.get(key);
        return a == null || a.isNull() ? List.of() : JSON.convertValue(a, type);
    }

    /**
     * ROC points at the decile cut-offs, highest scores first: flagging deciles 1..k finds the cumulative share of
     * positives (TPR) and flags the cumulative share of negatives (FPR).
     */
    static List<Point> rocFromDeciles(List<BinaryMetrics.Decile> deciles) {
        long n = 0;
        long p = 0;
        for (BinaryMetrics.Decile d : deciles) {
            n += d.count();
            p += d.positives();
        }
        if (p <= 0 || n - p <= 0) {
            return List.of();
        }
        List<Point> out = new ArrayList<>(List.of(new Point(0, 0)));
        long cn = 0;
        long cp = 0;
        for (BinaryMetrics.Decile d : deciles) {
            cn += d.count();
            cp += d.positives();
            out.add(new Point((double) (cn - cp) / (n - p), (double) cp / p));
        }
        return out;
    }
}
