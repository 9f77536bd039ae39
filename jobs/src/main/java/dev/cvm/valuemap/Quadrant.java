package dev.cvm.valuemap;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * The value-map quadrant of a segment from its quality ratio q and price ratio p (both: ours / competitor's,
 * higher is better for us; price ratings measure price attractiveness). With parity band b:
 * <ul>
 *   <li>{@code parity}: |q - 1| <= b and |p - 1| <= b;</li>
 *   <li>{@code advantage}: otherwise, q >= 1 - b and p >= 1 - b (better on one axis, not worse on the other);</li>
 *   <li>{@code premium}: q >= 1 - b and p < 1 - b (better or equal quality, less attractive price);</li>
 *   <li>{@code economy}: q < 1 - b and p >= 1 - b (worse quality, better or equal price);</li>
 *   <li>{@code disadvantage}: q < 1 - b and p < 1 - b;</li>
 *   <li>null when either ratio is null (no rated attribute of that type with a positive weight).</li>
 * </ul>
 * With b = 0 this is the plain rule: both >= 1 advantage, both < 1 disadvantage, and exactly (1, 1) parity.
 */
public final class Quadrant {
    public static final String PARITY = "parity";
    public static final String ADVANTAGE = "advantage";
    public static final String PREMIUM = "premium";
    public static final String ECONOMY = "economy";
    public static final String DISADVANTAGE = "disadvantage";

    private Quadrant() {}

    static Column classify(Column quality, Column price, double band) {
        Column floor = lit(1.0 - band);
        Column qualityOk = quality.geq(floor);
        Column priceOk = price.geq(floor);
        return when(quality.isNull().or(price.isNull()), lit(null).cast("string"))
                .when(abs(quality.minus(1.0)).leq(band).and(abs(price.minus(1.0)).leq(band)), lit(PARITY))
                .when(qualityOk.and(priceOk), lit(ADVANTAGE))
                .when(qualityOk, lit(PREMIUM))
                .when(priceOk, lit(ECONOMY))
                .otherwise(lit(DISADVANTAGE));
    }
}
