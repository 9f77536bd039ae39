package dev.cvm.cli;

import dev.cvm.config.CatalogSettings;
import dev.cvm.publish.CatalogPublisher;
import dev.cvm.publish.PgTarget;
import dev.cvm.publish.PostgresPublisher;
import dev.cvm.publish.PostgresSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Make the results queryable by name: register every cvm Delta table in the Hive-compatible",
                "catalog (database cvm.catalog.database; query with `cvm sql`), and, when",
                "cvm.publish.postgres.enabled, mirror the run date's customer_scores, campaign_targets and",
                "segment_summary into PostgreSQL (CVM_PG_URL, CVM_PG_USER, CVM_PG_PASSWORD) with an atomic swap.",
                "Contract of the tables: docs/output-tables.md; operations: docs/operations.md."})
final class PublishCommand extends StageCommand {
    @Option(names = "--force", description = "Serve this run date in PostgreSQL even when a later one is served "
            + "(by default an older date, e.g. a backfill, leaves the serving database alone).")
    boolean force;

    @Override
    void run(CvmContext ctx) {
        runPublish(ctx, force);
    }

    /** The nightly chain's last stage. */
    static void runPublish(CvmContext ctx) {
        runPublish(ctx, false);
    }

    static void runPublish(CvmContext ctx, boolean force) {
        ctx.log().stage("publish " + ctx.runDate());
        runCatalog(ctx);
        PostgresSettings pg = ctx.config().publish().postgres();
        if (!pg.enabled()) {
            ctx.log().info("  PostgreSQL mirror off (cvm.publish.postgres.enabled = false)");
            return;
        }
        PostgresPublisher.Outcome o = new PostgresPublisher(ctx.warehouse(), pg, PgTarget.fromEnvironment(),
                ctx.config().features(), ctx.log()).publish(ctx.runDate(), force);
        ctx.log().info("  %s%s", o.message(), o.rows().isEmpty() ? "" : " " + o.rows());
    }

    /** Registers the tables in the catalog (when enabled); the demo runs only this part. */
    static void runCatalog(CvmContext ctx) {
        CatalogSettings catalog = ctx.config().catalog();
        if (!catalog.enabled()) {
            ctx.log().info("  catalog off (cvm.catalog.enabled = false)");
            return;
        }
        List<CatalogPublisher.Registered> r = new CatalogPublisher(ctx.spark(), ctx.warehouse(), catalog,
                ctx.config().features(), ctx.log()).publish();
        long created = r.stream().filter(CatalogPublisher.Registered::created).count();
        ctx.log().info("  %d tables in catalog database %s (%d new; metastore %s); query them with: bin/cvm sql "
                + "\"SHOW TABLES IN %s\"", r.size(), catalog.database(), created, catalog.metastore(),
                catalog.database());
    }
}
