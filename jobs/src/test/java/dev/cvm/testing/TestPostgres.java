package dev.cvm.testing;

import dev.cvm.publish.PgTarget;
import dev.cvm.publish.PostgresSettings;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The real PostgreSQL the CVM_PG_* environment names (what {@code eval "$(bin/test-postgres)"} exports; .ci/run
 * does that before {@code mvn test}). Without CVM_PG_URL the tests that need it are skipped with a banner on stderr,
 * except under CI (CI=true), where a missing server is a failure: CI must run them.
 */
public final class TestPostgres {
    /** The writer's target, and a login role without privileges (null when the environment names none). */
    public record Server(PgTarget target, String readerUser, String readerPassword) {}

    private static Server server;
    private static boolean bannerShown;

    private TestPostgres() {}

    /** Whether CVM_PG_URL names a server; when not, {@link #server()} skips (or under CI fails) the calling test. */
    public static boolean configured() {
        String url = System.getenv(PgTarget.URL_ENV);
        return url != null && !url.isBlank();
    }

    /** The server, or the calling test is skipped (outside CI) / failed (in CI) when none is configured. */
    public static synchronized Server server() {
        if (server == null) {
            Map<String, String> env = System.getenv();
            String url = env.get(PgTarget.URL_ENV);
            if (url == null || url.isBlank()) {
                String why = PgTarget.URL_ENV + " is not set, so the PostgreSQL publish tests cannot run. Start a "
                        + "throwaway server and export its CVM_PG_* with:  eval \"$(bin/test-postgres)\"  (or point "
                        + "CVM_PG_URL, CVM_PG_USER, CVM_PG_PASSWORD at a server where the user may create schemas)";
                if ("true".equalsIgnoreCase(env.get("CI"))) {
                    fail("CI=true but " + why + ". .ci/run exports them before mvn test.");
                }
                if (!bannerShown) {
                    bannerShown = true;
                    System.err.println("\n*** SKIPPED: " + why + " ***\n");
                }
                abort("SKIPPED: " + why);
            }
            PgTarget target = PgTarget.fromEnvironment(env);
            try (Connection c = target.connect(settings()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1")) {
                rs.next();
            } catch (SQLException | RuntimeException e) {
                // Configured but unreachable is a failure, never a skip.
                fail("the test PostgreSQL " + target + " (CVM_PG_URL) does not answer: " + e.getMessage()
                        + " (bin/test-postgres starts it again)", e);
            }
            server = new Server(target, env.get("CVM_TEST_PG_READER_USER"), env.get("CVM_TEST_PG_READER_PASSWORD"));
        }
        return server;
    }

    /** Default PostgreSQL settings (the tests change schema and readers). */
    public static PostgresSettings settings() {
        return dev.cvm.config.CvmConfig.parse("cvm.publish.postgres.enabled = true").publish().postgres();
    }
}
