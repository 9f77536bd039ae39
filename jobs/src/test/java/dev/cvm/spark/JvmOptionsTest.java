package dev.cvm.spark;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JVM cvm starts itself (tests, bin/cvm, bin/cluster-test) must run with the options Spark's launcher gives the
 * JVMs it starts, or a local run and a cluster run compute different bits: the options pick MLlib's BLAS.
 */
class JvmOptionsTest {

    @Test
    void pomListIsExactlySparksLauncherList() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<spark.jvm.options>(.*?)</spark.jvm.options>").matcher(pom);
        assertTrue(m.find(), "pom.xml has no spark.jvm.options property");
        assertEquals(List.of(JavaModuleOptions.defaultModuleOptionArray()), List.of(m.group(1).trim().split("\\s+")),
                "spark.jvm.options in pom.xml must equal org.apache.spark.launcher.JavaModuleOptions of this Spark "
                        + "version (copy it from there after a Spark upgrade)");
    }

    @Test
    void thisJvmUsesTheBlasSparkExecutorsUse() {
        // Executors started by Spark load the vector module, so MLlib's Java BLAS is the vectorised one there.
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the test JVM lacks --add-modules=jdk.incubator.vector (surefire argLine from spark.jvm.options)");
        assertEquals("VectorBLAS", dev.ludovic.netlib.blas.JavaBLAS.getInstance().getClass().getSimpleName());
    }
}
