package dev.cvm.publish;

import dev.cvm.CvmException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the PostgreSQL mirror goes and as whom, from the environment only: {@code CVM_PG_URL}
 * ({@code jdbc:postgresql://host:5432/db}), {@code CVM_PG_USER}, {@code CVM_PG_PASSWORD}. Without a password the
 * driver falls back to {@code ~/.pgpass} (or {@code PGPASSFILE}). The password never appears in messages.
 */
public record PgTarget(String url, String user, String password) {
    public static final String URL_ENV = "CVM_PG_URL";
    public static final String USER_ENV = "CVM_PG_USER";
    public static final String PASSWORD_ENV = "CVM_PG_PASSWORD";

    public PgTarget {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new CvmException(URL_ENV + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/database), got "
                    + (url == null ? "nothing" : "\"" + redact(url) + "\""));
        }
    }

    public static PgTarget fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static PgTarget fromEnvironment(Map<String, String> env) {
        String url = env.get(URL_ENV);
        if (url == null || url.isBlank()) {
            throw new CvmException("cvm.publish.postgres.enabled is true but " + URL_ENV + " is not set: export "
                    + URL_ENV + "=jdbc:postgresql://host:5432/database, " + USER_ENV + " and " + PASSWORD_ENV
                    + " (credentials come from the environment only)");
        }
        return new PgTarget(url.trim(), blankToNull(env.get(USER_ENV)), blankToNull(env.get(PASSWORD_ENV)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The URL without its query string (which may carry secrets), for messages. */
    public String safeUrl() {
        return redact(url);
    }

    private static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    /** Connection properties: the credentials, TLS settings and the configured extra properties. */
    public Map<String, String> connectionProperties(PostgresSettings s) {
        Map<String, String> p = new LinkedHashMap<>(s.properties());
        if (user != null) {
            p.put("user", user);
        }
        if (password != null) {
            p.put("password", password);
        }
        if (!s.sslMode().isEmpty()) {
            p.put("sslmode", s.sslMode());
        }
        if (!s.sslRootCert().isEmpty()) {
            p.put("sslrootcert", s.sslRootCert());
        }
        p.putIfAbsent("ApplicationName", "cvm publish");
        return p;
    }

    public Connection connect(PostgresSettings s) {
        Properties props = new Properties();
        props.putAll(connectionProperties(s));
        try {
            // The driver directly, not DriverManager: under spark-submit it lives in the application's class loader.
            Connection c = new org.postgresql.Driver().connect(url, props);
            if (c == null) {
                throw new CvmException(URL_ENV + " is not a URL the PostgreSQL driver accepts: " + safeUrl());
            }
            return c;
        } catch (SQLException e) {
            throw new CvmException("cannot connect to PostgreSQL at " + safeUrl() + (user == null ? "" : " as " + user)
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "PgTarget[" + safeUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
