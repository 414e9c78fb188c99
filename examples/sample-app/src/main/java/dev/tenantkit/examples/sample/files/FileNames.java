package dev.tenantkit.examples.sample.files;

import java.util.Locale;
import java.util.regex.Pattern;

/** Turns what a client says about a file into values safe to store and show. */
final class FileNames {
  private static final int MAX_NAME = 255;
  private static final Pattern TYPE = Pattern.compile("[a-z0-9]{1,16}");
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

  private FileNames() {}

  /**
   * The client's file name without any directory part or control character, at most 255 characters;
   * {@code "file"} when nothing is left. It is only shown, never used as a path.
   */
  static String clean(String original) {
    if (original == null) {
      return "file";
    }
    String name = original;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    if (slash >= 0) {
      name = name.substring(slash + 1);
    }
    StringBuilder out = new StringBuilder();
    name.codePoints()
        .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
        .forEach(out::appendCodePoint);
    name = out.toString().strip();
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      return "file";
    }
    if (name.length() > MAX_NAME) {
      int end = MAX_NAME;
      if (Character.isHighSurrogate(name.charAt(end - 1))) {
        end--;
      }
      name = name.substring(0, end);
    }
    return name;
  }

  /**
   * The file type of a cleaned name: its extension in lower case, as {@code TenantSettings} writes
   * allowed types ({@code [a-z0-9]{1,16}}), or empty when it has none of that form.
   */
  static String type(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return "";
    }
    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPE.matcher(ext).matches() ? ext : "";
  }

  /**
   * The declared media type in lower case if it is a plain {@code type/subtype}, else octet-stream.
   */
  static String contentType(String declared) {
    if (declared == null) {
      return "application/octet-stream";
    }
    int semicolon = declared.indexOf(';');
    String bare = (semicolon < 0 ? declared : declared.substring(0, semicolon)).strip();
    bare = bare.toLowerCase(Locale.ROOT);
    return MEDIA_TYPE.matcher(bare).matches() ? bare : "application/octet-stream";
  }
}
