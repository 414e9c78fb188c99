package dev.tenantkit.billing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds {@code double} and {@code float} in Java sources (outside comments and literals) and in
 * class files: float and double constants, field and method descriptors (own and referenced) with
 * {@code D}, {@code F}, {@code java/lang/Double} or {@code java/lang/Float}, and the float and
 * double opcodes (DADD, DMUL, I2D, FCMPL, ...). A small class-file reader, so that no bytecode
 * library has to be on the test class path.
 */
final class FloatingPointScan {
  private FloatingPointScan() {}

  private static final Pattern SOURCE_WORD =
      Pattern.compile(
          "\\b(double|float|Double|Float|doubleValue|floatValue|DoubleStream|ToDoubleFunction)\\b"
              + "|\\b\\d+(\\.\\d*)?([eE][+-]?\\d+)?[dDfF]\\b");

  /** Every {@code file:line: word} of the sources under {@code root}. */
  static List<String> sources(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        found.addAll(source(root.relativize(file).toString(), Files.readString(file)));
      }
    }
    return found;
  }

  /** Every {@code name:line: word} of one source, outside comments and literals. */
  static List<String> source(String name, String text) {
    String code = stripCommentsAndLiterals(text);
    List<String> found = new ArrayList<>();
    String[] lines = code.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = SOURCE_WORD.matcher(lines[i]);
      while (m.find()) {
        found.add(name + ":" + (i + 1) + ": " + m.group());
      }
    }
    return found;
  }

  /** The text with comments, string, text-block and char literals blanked; newlines kept. */
  static String stripCommentsAndLiterals(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
        blank(s, i, end, out);
        i = end;
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        end = end < 0 ? s.length() : end + 3;
        blank(s, i, end, out);
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        int end = Math.min(j + 1, s.length());
        blank(s, i, end, out);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static void blank(String s, int from, int to, StringBuilder out) {
    for (int k = from; k < to; k++) {
      out.append(s.charAt(k) == '\n' ? '\n' : ' ');
    }
  }

  /** Every finding in the class files under {@code root}. */
  static List<String> classes(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        found.addAll(classFile(root.relativize(file).toString(), Files.readAllBytes(file)));
      }
    }
    return found;
  }

  /** Every finding in one class file. */
  static List<String> classFile(String name, byte[] bytes) throws IOException {
    List<String> found = new ArrayList<>();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException(name + " is not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> descriptors = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3 -> in.readInt();
        case 4 -> {
          in.readInt();
          found.add(name + ": float constant");
        }
        case 5 -> {
          in.readLong();
          i++;
        }
        case 6 -> {
          in.readLong();
          found.add(name + ": double constant");
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
        case 9, 10, 11, 17, 18 -> in.readInt();
        case 12 -> {
          in.readUnsignedShort();
          descriptors.add(in.readUnsignedShort());
        }
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException(name + ": unknown constant pool tag " + tag);
      }
    }
    for (int index : descriptors) {
      if (floating(utf8[index])) {
        found.add(name + ": refers to a member typed " + utf8[index]);
      }
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    in.readUnsignedShort();
    int interfaces = in.readUnsignedShort();
    for (int i = 0; i < interfaces; i++) {
      in.readUnsignedShort();
    }
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      member(name, "field", in, utf8, found);
    }
    int methods = in.readUnsignedShort();
    for (int i = 0; i < methods; i++) {
      member(name, "method", in, utf8, found);
    }
    return found;
  }

  private static void member(
      String name, String kind, DataInputStream in, String[] utf8, List<String> found)
      throws IOException {
    in.readUnsignedShort();
    String member = utf8[in.readUnsignedShort()];
    String descriptor = utf8[in.readUnsignedShort()];
    if (floating(descriptor)) {
      found.add(name + ": " + kind + " " + member + " " + descriptor);
    }
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      String attribute = utf8[in.readUnsignedShort()];
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      if (attribute.equals("Code")) {
        DataInputStream code = new DataInputStream(new ByteArrayInputStream(body));
        code.readUnsignedShort();
        code.readUnsignedShort();
        byte[] ops = new byte[code.readInt()];
        code.readFully(ops);
        List<String> opcodes = floatingOpcodes(ops);
        if (!opcodes.isEmpty()) {
          found.add(name + ": method " + member + " uses the opcodes " + opcodes);
        }
      }
    }
  }

  /** Whether a field or method descriptor names a float or double type, boxed or not. */
  static boolean floating(String descriptor) {
    for (int i = 0; i < descriptor.length(); i++) {
      char c = descriptor.charAt(i);
      if (c == 'D' || c == 'F') {
        return true;
      }
      if (c == 'L') {
        int end = descriptor.indexOf(';', i);
        String type = descriptor.substring(i + 1, end);
        if (type.equals("java/lang/Double") || type.equals("java/lang/Float")) {
          return true;
        }
        i = end;
      }
    }
    return false;
  }

  /** The float and double opcodes of a method's code, in hex, each once, in order. */
  static List<String> floatingOpcodes(byte[] code) {
    List<String> found = new ArrayList<>();
    int pc = 0;
    while (pc < code.length) {
      int op = code[pc] & 0xff;
      String name = floatingOpcode(op, pc + 1 < code.length ? code[pc + 1] & 0xff : -1);
      if (name != null && !found.contains(name)) {
        found.add(name);
      }
      pc += length(code, pc, op);
    }
    return found;
  }

  private static String floatingOpcode(int op, int operand) {
    if ((op >= 0x0b && op <= 0x0f)
        || op == 0x17
        || op == 0x18
        || (op >= 0x22 && op <= 0x29)
        || op == 0x30
        || op == 0x31
        || op == 0x38
        || op == 0x39
        || (op >= 0x43 && op <= 0x4a)
        || op == 0x51
        || op == 0x52
        || (op >= 0x62 && op <= 0x73 && (op % 4 == 2 || op % 4 == 3))
        || op == 0x76
        || op == 0x77
        || op == 0x86
        || op == 0x87
        || (op >= 0x89 && op <= 0x90)
        || (op >= 0x95 && op <= 0x98)
        || op == 0xae
        || op == 0xaf
        || (op == 0xbc && (operand == 6 || operand == 7))) {
      return String.format("0x%02x", op);
    }
    return null;
  }

  private static int length(byte[] code, int pc, int op) {
    switch (op) {
      case 0xaa -> {
        int p = pad(pc);
        int low = readInt(code, p + 4);
        int high = readInt(code, p + 8);
        return p - pc + 12 + (high - low + 1) * 4;
      }
      case 0xab -> {
        int p = pad(pc);
        return p - pc + 8 + readInt(code, p + 4) * 8;
      }
      case 0xc4 -> {
        return (code[pc + 1] & 0xff) == 0x84 ? 6 : 4;
      }
      default -> {
        return 1 + operandBytes(op);
      }
    }
  }

  private static int operandBytes(int op) {
    if (op == 0x10
        || op == 0x12
        || (op >= 0x15 && op <= 0x19)
        || (op >= 0x36 && op <= 0x3a)
        || op == 0xa9
        || op == 0xbc) {
      return 1;
    }
    if (op == 0x11
        || op == 0x13
        || op == 0x14
        || op == 0x84
        || (op >= 0x99 && op <= 0xa8)
        || (op >= 0xb2 && op <= 0xb8)
        || op == 0xbb
        || op == 0xbd
        || op == 0xc0
        || op == 0xc1
        || op == 0xc6
        || op == 0xc7) {
      return 2;
    }
    if (op == 0xc5) {
      return 3;
    }
    if (op == 0xb9 || op == 0xba || op == 0xc8 || op == 0xc9) {
      return 4;
    }
    return 0;
  }

  /** The offset of the first operand after the switch opcode at {@code pc}, 4-byte aligned. */
  private static int pad(int pc) {
    return (pc + 4) & ~3;
  }

  private static int readInt(byte[] code, int at) {
    return ((code[at] & 0xff) << 24)
        | ((code[at + 1] & 0xff) << 16)
        | ((code[at + 2] & 0xff) << 8)
        | (code[at + 3] & 0xff);
  }
}
