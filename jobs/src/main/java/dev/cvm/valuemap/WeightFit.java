package dev.cvm.valuemap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one weight method: weights per attribute (non-negative, summing to 1) or, when the method is
 * degenerate on the data at hand, null weights and the reason.
 */
record WeightFit(Map<String, Double> weights, String detail) {

    static WeightFit of(Map<String, Double> weights, String detail) {
        return new WeightFit(Collections.unmodifiableMap(new LinkedHashMap<>(weights)), detail);
    }

    static WeightFit degenerate(String reason) {
        return new WeightFit(null, reason);
    }

    boolean usable() {
        return weights != null;
    }
}
