package dev.cvm.publish;

import com.typesafe.config.Config;

import java.io.Serializable;

/** Settings of {@code cvm publish} beyond the catalog ({@code cvm.publish}): the PostgreSQL mirror. */
public record PublishSettings(PostgresSettings postgres) implements Serializable {
    public static PublishSettings from(Config root) {
        return new PublishSettings(PostgresSettings.from(root));
    }
}
