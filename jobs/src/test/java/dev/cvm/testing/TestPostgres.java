package dev.cvm.testing;

import dev.cvm.publish.PgTarget;
import dev.cvm.publish.PostgresSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real PostgreSQL for the tests: the one the CVM_PG_* environment names (CI exports what bin/test-postgres
 * printed), or else one started here by bin/test-postgres. When neither works the test fails, loudly: it is never
 * skipped.
 */
public final class TestPostgres {
    /** The writer's target, and a login role without privileges (null when the environment names none). */
    public record Server(PgTarget target, String readerUser, String readerPassword) {}

    private static Server server;

    private TestPostgres() {}

    public static synchronized Server server() {
        if (server == null) {
            Map<String, String> env = System.getenv();
            Map<String, String> vars = env.get(PgTarget.URL_ENV) != null ? env : startWithScript();
            PgTarget target = PgTarget.fromEnvironment(vars);
            try (Connection c = target.connect(settings()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1")) {
                rs.next();
            } catch (SQLException | RuntimeException e) {
                fail("the test PostgreSQL " + target + " does not answer: " + e.getMessage(), e);
            }
            server = new Server(target, vars.get("CVM_TEST_PG_READER_USER"), vars.get("CVM_TEST_PG_READER_PASSWORD"));
        }
        return server;
    }

    /** Default PostgreSQL settings (the tests change schema and readers). */
    public static PostgresSettings settings() {
        return dev.cvm.config.CvmConfig.parse("cvm.publish.postgres.enabled = true").publish().postgres();
    }

    private static Map<String, String> startWithScript() {
        Path script = home().resolve("bin/test-postgres");
        if (!Files.isRegularFile(script)) {
            fail("CVM_PG_URL is not set and " + script + " does not exist: cannot get a PostgreSQL for the tests");
        }
        try {
            Path err = Files.createTempFile("test-postgres", ".log");
            Process p = new ProcessBuilder("bash", script.toString())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("bin/test-postgres did not finish within 10 minutes");
            }
            String log = Files.readString(err);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                fail("CVM_PG_URL is not set and bin/test-postgres could not start PostgreSQL (exit " + p.exitValue()
                        + "):\n" + log + "\nInstall the Debian package 'postgresql', or point CVM_PG_URL, CVM_PG_USER "
                        + "and CVM_PG_PASSWORD at a server the tests may create schemas in.");
            }
            Map<String, String> vars = new HashMap<>();
            Matcher m = Pattern.compile("(?m)^export ([A-Z_]+)='([^']*)'$").matcher(out);
            while (m.find()) {
                vars.put(m.group(1), m.group(2));
            }
            if (!vars.containsKey(PgTarget.URL_ENV)) {
                fail("bin/test-postgres printed no " + PgTarget.URL_ENV + ":\n" + out + log);
            }
            return vars;
        } catch (IOException e) {
            fail("cannot run bin/test-postgres: " + e.getMessage(), e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while starting PostgreSQL");
            return null;
        }
    }

    static Path home() {
        Path p = Path.of(System.getProperty("cvm.home", ".")).toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("bin/test-postgres"))) {
            p = p.getParent();
        }
        return p == null ? Path.of(System.getProperty("cvm.home", ".")) : p;
    }
}
