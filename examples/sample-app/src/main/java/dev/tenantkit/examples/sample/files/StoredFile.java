package dev.tenantkit.examples.sample.files;

import java.time.Instant;

/**
 * A tenant's uploaded file as listed and returned by the files API.
 *
 * @param id the server's random id (32 hex characters); the bytes are stored under it
 * @param name the client's file name, cleaned of directories and control characters; shown only
 * @param type the file type: the name's extension in lower case, or empty
 * @param contentType the media type the client declared, or {@code application/octet-stream}
 * @param size the size in bytes
 * @param sha256 the SHA-256 of the bytes, in hex
 * @param createdAt when it was uploaded (to the microsecond)
 */
public record StoredFile(
    String id,
    String name,
    String type,
    String contentType,
    long size,
    String sha256,
    Instant createdAt) {}
