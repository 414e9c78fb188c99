package dev.tenantkit.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Money is never a double or a float in billing-core (issue 13; Lago's double tax rate and fdiv day
 * price are the faults this keeps out): checked three ways, on the sources, with ArchUnit on the
 * types the classes declare and call, and on the bytecode itself. Each check is also shown to catch
 * a class that does use a double.
 */
class NoFloatingPointTest {

  /**
   * The one place allowed a float: PDFBox takes page coordinates and font sizes as floats, and the
   * PDF renderer passes it whole points converted from {@code int} ({@code I2F}) in one method. No
   * amount goes through it. Listed exactly, so any other use fails, and a stale entry fails too.
   */
  private static final String PDF_WRITER =
      "dev/tenantkit/billing/invoice/render/PdfInvoiceRenderer$Writer.class";

  private static final List<String> PDF_LAYOUT_BYTECODE =
      List.of(
          PDF_WRITER + ": refers to a member typed (Lorg/apache/pdfbox/pdmodel/font/PDFont;F)V",
          PDF_WRITER + ": refers to a member typed (FF)V",
          PDF_WRITER + ": method show uses the opcodes [0x86]");

  private static final String PDF_LAYOUT_METHOD =
      "dev.tenantkit.billing.invoice.render.PdfInvoiceRenderer$Writer.show(";

  static Path mainClasses() throws URISyntaxException {
    return Path.of(Money.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void noSourceOfBillingCoreSaysDoubleOrFloat() throws IOException {
    assertThat(FloatingPointScan.sources(Path.of("src/main/java"))).isEmpty();
  }

  @Test
  void noClassOfBillingCoreHasAFloatingPointOpcodeConstantOrDescriptor() throws Exception {
    Path root = mainClasses();
    assertThat(root.resolve("dev/tenantkit/billing/Money.class")).exists();
    assertThat(FloatingPointScan.classes(root))
        .containsExactlyInAnyOrderElementsOf(PDF_LAYOUT_BYTECODE);
  }

  @Test
  void noFieldParameterReturnOrCalledMethodIsFloatingPoint() {
    JavaClasses billing =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tenantkit.billing");
    assertThat(billing).isNotEmpty();
    List<String> violations = new java.util.ArrayList<>();
    for (JavaClass c : billing) {
      ConditionEvents events = check(c);
      events.getViolating().forEach(e -> violations.addAll(e.getDescriptionLines()));
    }
    assertThat(violations)
        .allSatisfy(v -> assertThat(v).startsWith("Method <" + PDF_LAYOUT_METHOD))
        .hasSize(2);
  }

  @Test
  void theSourceScanCatchesADoubleButNotAComment() {
    String code =
        """
        class Price {
          // a double in a comment is fine, "and a float in a string"
          /* double */ BigDecimal unit;
          double x;
          BigDecimal half() { return BigDecimal.valueOf(0.5d); }
          long n = amount.doubleValue() > 1 ? 1 : 0;
        }
        """;
    assertThat(FloatingPointScan.source("Price.java", code))
        .containsExactly("Price.java:4: double", "Price.java:5: 0.5d", "Price.java:6: doubleValue");
  }

  @Test
  void theBytecodeScanAndArchUnitCatchADouble() throws Exception {
    String resource = "/" + WithDouble.class.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (InputStream in = NoFloatingPointTest.class.getResourceAsStream(resource)) {
      bytes = in.readAllBytes();
    }
    List<String> found = FloatingPointScan.classFile("WithDouble", bytes);
    assertThat(found)
        .contains("WithDouble: field x D", "WithDouble: method twice (D)D")
        .contains("WithDouble: method twice uses the opcodes [0x26, 0x63, 0xaf]") // DLOAD_0 DADD
        .contains("WithDouble: method widen uses the opcodes [0x87, 0x6b, 0x8f]") // I2D DMUL D2L
        .contains("WithDouble: double constant");
    assertThat(FloatingPointScan.classFile("NoDouble", classBytes(NoDouble.class))).isEmpty();

    JavaClasses fixture = new ClassFileImporter().importClasses(WithDouble.class, NoDouble.class);
    ConditionEvents events = check(fixture.get(WithDouble.class));
    assertThat(events.containViolation()).isTrue();
    assertThat(check(fixture.get(NoDouble.class)).containViolation()).isFalse();
  }

  private static byte[] classBytes(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  private static ConditionEvents check(JavaClass c) {
    ConditionEvents events = ConditionEvents.Factory.create();
    NO_FLOATING_POINT.check(c, events);
    return events;
  }

  static boolean floating(JavaClass type) {
    return type.isEquivalentTo(double.class)
        || type.isEquivalentTo(float.class)
        || type.isEquivalentTo(Double.class)
        || type.isEquivalentTo(Float.class)
        || (type.isArray() && floating(type.getBaseComponentType()));
  }

  static final ArchCondition<JavaClass> NO_FLOATING_POINT =
      new ArchCondition<>("declare and call nothing typed double or float") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
          for (JavaField f : c.getFields()) {
            if (floating(f.getRawType())) {
              events.add(SimpleConditionEvent.violated(f, f.getFullName() + " is floating point"));
            }
          }
          for (JavaCodeUnit unit : c.getCodeUnits()) {
            if (floating(unit.getRawReturnType())
                || unit.getRawParameterTypes().stream().anyMatch(NoFloatingPointTest::floating)) {
              events.add(
                  SimpleConditionEvent.violated(unit, unit.getFullName() + " is floating point"));
            }
          }
          c.getCodeUnitCallsFromSelf().stream()
              .filter(
                  call ->
                      floating(call.getTarget().getRawReturnType())
                          || call.getTarget().getRawParameterTypes().stream()
                              .anyMatch(NoFloatingPointTest::floating))
              .forEach(
                  call ->
                      events.add(
                          SimpleConditionEvent.violated(
                              call, call.getDescription() + " is floating point")));
        }
      };

  /** A class that uses doubles, to show the checks catch them. */
  @SuppressWarnings("unused")
  static final class WithDouble {
    double x;

    static double twice(double v) {
      return v + v;
    }

    static long widen(int i) {
      return (long) (i * 1.5);
    }
  }

  /** A class without, to show the checks pass it. */
  @SuppressWarnings("unused")
  static final class NoDouble {
    long x;

    static long twice(long v) {
      return v + v;
    }
  }
}
