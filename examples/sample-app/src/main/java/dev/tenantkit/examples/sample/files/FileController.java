package dev.tenantkit.examples.sample.files;

import dev.tenantkit.examples.sample.web.ApiProblem;
import dev.tenantkit.examples.sample.web.Params;
import dev.tenantkit.examples.sample.web.ProblemCodes;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The files API of the calling tenant. Reading ({@code GET}) needs the scope {@code files:read},
 * changing ({@code POST}, {@code DELETE}) {@code files:write}; a full-access key ({@code *}) has
 * both. A file of another tenant is answered exactly like a file that does not exist: 404.
 *
 * <ul>
 *   <li>{@code POST /api/files}, multipart with a part {@code file}: 201 with the file's metadata
 *       and {@code Location}; 400 without the part or for an empty file, 413 over the tenant's
 *       maximum file size (or the server's multipart limit), 415 for a type the tenant does not
 *       allow, 429 when the plan's files or storage are used up.
 *   <li>{@code GET /api/files?limit=&cursor=}: the files, newest first, {@code {"items": [...],
 *       "nextCursor": ...}}.
 *   <li>{@code GET /api/files/{id}}: the bytes, as an attachment; with a {@code Range} header 206
 *       and the part, or a 416 problem (with {@code Content-Range: bytes *}{@code /size}) when the
 *       range does not fit the file.
 *   <li>{@code DELETE /api/files/{id}}: 204.
 * </ul>
 */
@RestController
@RequestMapping("/api/files")
class FileController {
  static final String READ = "files:read";
  static final String WRITE = "files:write";

  private final FileService files;

  FileController(FileService files) {
    this.files = files;
  }

  @PostMapping
  ResponseEntity<StoredFile> upload(
      @RequestParam(name = "file", required = false) MultipartFile file) {
    TenantContext.requireScope(WRITE);
    if (file == null) {
      throw new InvalidInputException(
          "file", "send the file as multipart/form-data in a part named 'file'");
    }
    StoredFile stored = files.upload(TenantContext.requireTenant(), new MultipartUpload(file));
    return ResponseEntity.created(URI.create("/api/files/" + stored.id())).body(stored);
  }

  @GetMapping
  Listing list(
      @RequestParam(name = "limit", required = false) String limit,
      @RequestParam(name = "cursor", required = false) String cursor) {
    TenantContext.requireScope(READ);
    Page<StoredFile> page =
        files.list(TenantContext.requireTenant(), cursor, Params.limit("limit", limit, 50, 100));
    return new Listing(page.items(), page.nextCursor());
  }

  @GetMapping("/{id}")
  ResponseEntity<Resource> download(
      @PathVariable("id") String id,
      @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
      @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
    TenantContext.requireScope(READ);
    TenantId tenant = TenantContext.requireTenant();
    StoredFile file = files.get(tenant, id);
    Path bytes =
        files
            .bytes(tenant, file)
            .orElseThrow(() -> new NotFoundException("the file's bytes are gone"));
    String etag = "\"" + file.sha256() + "\"";
    FileSystemResource resource = new FileSystemResource(bytes);
    if (range != null && !matches(ifNoneMatch, etag)) {
      requireSatisfiable(range, resource, file.size());
    }
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .contentLength(file.size())
        .header(HttpHeaders.CONTENT_DISPOSITION, FileNames.contentDisposition(file.name()))
        .header("X-Content-Type-Options", "nosniff")
        .eTag(etag)
        .body(resource);
  }

  /**
   * Refuses a {@code Range} the file cannot satisfy with a 416 problem, before Spring's own range
   * handling would answer 416 with the whole file as the body. A satisfiable range is left to
   * Spring, which answers 206 with the part.
   */
  private static void requireSatisfiable(String range, Resource resource, long size) {
    try {
      HttpRange.toResourceRegions(HttpRange.parseRanges(range), resource);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.of(
              416,
              ProblemCodes.RANGE_NOT_SATISFIABLE,
              "the range '"
                  + (range.length() > 100 ? range.substring(0, 100) + "..." : range)
                  + "' does not fit the file of "
                  + size
                  + " bytes; ask for bytes=first-last with first below the size")
          .header(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
    }
  }

  /**
   * Whether {@code If-None-Match} lists {@code etag} (or is {@code *}): then Spring answers 304,
   * which comes before any range.
   */
  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",", -1)) {
      String t = tag.strip();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable("id") String id) {
    TenantContext.requireScope(WRITE);
    files.delete(TenantContext.requireTenant(), id);
    return ResponseEntity.noContent().build();
  }

  /** One page of files. */
  record Listing(List<StoredFile> items, String nextCursor) {}

  /** A multipart part as an upload. */
  private record MultipartUpload(MultipartFile part) implements FileService.Upload {
    @Override
    public String originalName() {
      return part.getOriginalFilename();
    }

    @Override
    public String declaredContentType() {
      return part.getContentType();
    }

    @Override
    public long size() {
      return part.getSize();
    }

    @Override
    public InputStream open() throws IOException {
      return part.getInputStream();
    }
  }
}
