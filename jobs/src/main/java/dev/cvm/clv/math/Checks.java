package dev.cvm.clv.math;

/** Small argument checks shared by the models (package-private). */
final class Checks {

    private Checks() {
    }

    static double positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
        }
        return v;
    }

    static double nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
        return v;
    }

    /** Validates a customer history with the same rules as {@link RfmGroup}. */
    static void history(int x, double tx, double T) {
        if (x < 0) {
            throw new IllegalArgumentException("frequency x must be >= 0, got " + x);
        }
        if (!Double.isFinite(tx) || !Double.isFinite(T)) {
            throw new IllegalArgumentException("t_x and T must be finite, got t_x=" + tx + ", T=" + T);
        }
        if (tx < 0) {
            throw new IllegalArgumentException("recency t_x must be >= 0, got " + tx);
        }
        if (tx > T) {
            throw new IllegalArgumentException("recency t_x must not exceed age T, got t_x=" + tx + " > T=" + T);
        }
        if (x == 0 && tx != 0) {
            throw new IllegalArgumentException("recency t_x must be 0 when x == 0, got t_x=" + tx);
        }
    }

    /** Validates a prediction horizon t >= 0. */
    static double horizon(double t) {
        return nonNegative("horizon t", t);
    }
}
