package dev.cvm.generate;

import java.util.random.RandomGenerator;

/** Random variates the simulator needs, on any {@link RandomGenerator} so every account has its own stream. */
final class Draws {
    private Draws() {}

    /** Gamma with the given shape and rate (mean shape/rate), by Marsaglia and Tsang's method. */
    static double gamma(RandomGenerator rng, double shape, double rate) {
        if (shape < 1.0) {
            // Boost: Gamma(k) = Gamma(k+1) * U^(1/k).
            double u = rng.nextDouble();
            return gamma(rng, shape + 1.0, rate) * Math.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1.0 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v / rate;
            }
        }
    }

    static double beta(RandomGenerator rng, double a, double b) {
        double x = gamma(rng, a, 1.0);
        double y = gamma(rng, b, 1.0);
        return x / (x + y);
    }

    static double exponential(RandomGenerator rng, double rate) {
        return rng.nextExponential() / rate;
    }

    /** Poisson by inversion; fine for the small means used here. */
    static int poisson(RandomGenerator rng, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = rng.nextDouble();
        while (p > l) {
            k++;
            p *= rng.nextDouble();
        }
        return k;
    }

    static boolean bernoulli(RandomGenerator rng, double p) {
        return rng.nextDouble() < p;
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    static int categorical(RandomGenerator rng, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    static double clip(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
