package dev.cvm.clv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.cli.CvmCli;
import dev.cvm.testing.SparkTestSupport;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs a cvm command the way a user does (picocli, exit code, stdout/stderr) inside the shared test session. */
final class CliRunner {
    record Result(int code, String out, String err) {}

    private CliRunner() {}

    /** A config that keeps the shared session's settings (the command's getOrCreate reuses that session). */
    static Path conf(Path dir) {
        SparkTestSupport.spark();
        Path f = dir.resolve("clv-test.conf");
        try {
            Files.writeString(f, "cvm { spark { master = \"local[2]\", conf {} }, warehouse = \""
                    + dir.resolve("wh") + "\" }\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    static synchronized Result run(Path conf, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--conf");
        all.add(conf.toString());
        CommandLine cl = CvmCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.print(out);
        return new Result(code, out, err.toString());
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
