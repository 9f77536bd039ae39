package dev.cvm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to build the SparkSession (master, empty under spark-submit; app name; raw Spark settings) and how many
 * independent steps of a stage the driver runs at the same time ({@code cvm.spark.parallel-steps}).
 */
public record SparkSettings(String master, String appName, Map<String, String> conf, int parallelSteps)
        implements Serializable {

    static SparkSettings from(Config c) {
        Map<String, String> conf = new TreeMap<>();
        Config sc = c.getConfig("conf");
        for (Map.Entry<String, ConfigValue> e : sc.entrySet()) {
            conf.put(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()));
        }
        int steps = c.getInt("parallel-steps");
        if (steps <= 0) {
            throw CvmException.usage("config key cvm.spark.parallel-steps must be a positive integer, got " + steps);
        }
        return new SparkSettings(c.getString("master"), c.getString("app-name"), Map.copyOf(conf), steps);
    }

    /** HOCON keeps the quotes of keys written like "spark.sql.shuffle.partitions". */
    private static String unquote(String key) {
        return key.replace("\"", "");
    }
}
