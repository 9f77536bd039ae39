package dev.cvm.publish;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the PostgreSQL mirror connects to, and as whom: the environment only; no server needed. */
class PgTargetTest {
    @Test
    void credentialsComeFromTheEnvironmentAndAreNeverPrinted() {
        CvmException missing = assertThrows(CvmException.class, () -> PgTarget.fromEnvironment(Map.of()));
        assertTrue(missing.getMessage().contains("CVM_PG_URL"), missing.getMessage());
        PgTarget t = PgTarget.fromEnvironment(Map.of("CVM_PG_URL", "jdbc:postgresql://db:5432/cvm?password=s3cret",
                "CVM_PG_USER", "cvm_writer", "CVM_PG_PASSWORD", "s3cret"));
        assertFalse(t.toString().contains("s3cret"), t.toString());
        assertFalse(t.safeUrl().contains("s3cret"), t.safeUrl());
        PostgresSettings s = CvmConfig.parse("cvm.publish.postgres { ssl-mode = verify-full, ssl-root-cert = "
                + "/etc/ssl/ca.pem, properties { connectTimeout = 10 } }").publish().postgres();
        Map<String, String> props = t.connectionProperties(s);
        assertEquals("verify-full", props.get("sslmode"));
        assertEquals("/etc/ssl/ca.pem", props.get("sslrootcert"));
        assertEquals("10", props.get("connectTimeout"));
        assertEquals("cvm_writer", props.get("user"));
        CvmException pw = assertThrows(CvmException.class, () -> CvmConfig.parse(
                "cvm.publish.postgres.properties { password = x }"));
        assertTrue(pw.getMessage().contains("environment"), pw.getMessage());
        assertThrows(CvmException.class, () -> CvmConfig.parse("cvm.publish.postgres.ssl-mode = sometimes"));
        assertNull(PgTarget.fromEnvironment(Map.of("CVM_PG_URL", "jdbc:postgresql://h/db")).password());
    }
}
