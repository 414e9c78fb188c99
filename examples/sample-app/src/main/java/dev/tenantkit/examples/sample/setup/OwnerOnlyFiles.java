package dev.tenantkit.examples.sample.setup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes secrets to files that only their owner can read. */
final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  /**
   * Replaces {@code file} with {@code content}, readable and writable by the owner only. The file
   * is written next to its target and moved into place, so a reader never sees half of it, and it
   * is created with its final permissions, so it is never readable by others, not even briefly.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  static void write(Path file, String content) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp;
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        tmp =
            Files.createTempFile(
                dir,
                ".tmp-",
                "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        tmp = Files.createTempFile(dir, ".tmp-", "");
        ownerOnly(tmp);
      }
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
    }
  }

  /** Without POSIX permissions (Windows), narrows access with the portable file flags. */
  private static void ownerOnly(Path file) throws IOException {
    java.io.File f = file.toFile();
    boolean narrowed =
        f.setReadable(false, false)
            && f.setReadable(true, true)
            && f.setWritable(false, false)
            && f.setWritable(true, true);
    if (!narrowed) {
      throw new IOException("cannot restrict access to " + file + " to its owner");
    }
  }
}
