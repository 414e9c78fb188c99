/**
 * Usage ingestion over HTTP for services in any language: CloudEvents (JSON format, 1.0) mapped to
 * usage events of the caller's tenant, with a result per event. {@link
 * dev.tenantkit.metering.ingest.UsageIngestor} is the entry point; the servlet adapter serves it.
 */
package dev.tenantkit.metering.ingest;
