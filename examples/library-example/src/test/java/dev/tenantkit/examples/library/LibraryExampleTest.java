package dev.tenantkit.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LibraryExampleTest {
  private static final Path ROOT = Path.of("../..");

  @Test
  void theQuickStartWorksAsWritten() {
    assertThat(LibraryExample.run()).isEqualTo("working for acme");
  }

  @Test
  void theReadmesQuickStartIsTheCompiledCode() throws IOException {
    String source =
        Files.readString(
            ROOT.resolve(
                "examples/library-example/src/main/java/dev/tenantkit/examples/library/"
                    + "LibraryExample.java"),
            StandardCharsets.UTF_8);
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);

    String compiled = between(source, "// quick-start:begin\n", "    // quick-start:end\n");
    String shown = between(readme, "## Quick start (library only)\n\n```java\n", "```\n");
    assertThat(shown).isEqualTo(outdent(compiled, 4));
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as("'%s' in the file", start.strip()).isNotNegative();
    from += start.length();
    int to = text.indexOf(end, from);
    assertThat(to).as("'%s' after it", end.strip()).isNotNegative();
    return text.substring(from, to);
  }

  private static String outdent(String block, int spaces) {
    List<String> lines = block.lines().toList();
    return lines.stream()
            .map(line -> line.length() >= spaces ? line.substring(spaces) : line.strip())
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}
