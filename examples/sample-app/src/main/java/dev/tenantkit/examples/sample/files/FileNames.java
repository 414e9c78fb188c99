package dev.tenantkit.examples.sample.files;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns what a client says about a file into values safe to store and show. */
final class FileNames {
  private static final int MAX_NAME = 255;
  private static final Pattern TYPE = Pattern.compile("[a-z0-9]{1,16}");
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

  // RFC 8187's attr-char: what filename* may carry without percent-encoding.
  private static final String ATTR_CHAR =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~";
  private static final String HEX = "0123456789ABCDEF";

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
   * The {@code Content-Disposition} of a download of {@code name} (RFC 6266): {@code attachment}
   * with a quoted ASCII {@code filename}, which every client reads ({@code curl -OJ} reads only
   * that), and, when that had to change the name, the exact name as {@code filename*} in UTF-8 (RFC
   * 8187) for clients that read it. In the ASCII name, every character other than printable ASCII,
   * and {@code "}, {@code \} and {@code %} (which some clients decode), becomes {@code _}.
   */
  static String contentDisposition(String name) {
    StringBuilder ascii = new StringBuilder();
    name.codePoints()
        .forEach(
            c ->
                ascii.append(
                    c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? (char) c : '_'));
    String value = "attachment; filename=\"" + ascii + "\"";
    if (ascii.toString().equals(name)) {
      return value;
    }
    StringBuilder encoded = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x80 && ATTR_CHAR.indexOf(c) >= 0) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
      }
    }
    return value + "; filename*=UTF-8''" + encoded;
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
