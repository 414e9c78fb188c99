package dev.tenantkit.examples.sample.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {
  @Test
  void aPlainAsciiNameIsSentAsIs() {
    assertThat(FileNames.contentDisposition("note.txt"))
        .isEqualTo("attachment; filename=\"note.txt\"");
  }

  @Test
  void theAsciiNameReplacesQuotesBackslashesPercentAndControlCharacters() {
    assertThat(FileNames.contentDisposition("say \"hi\"\\50%\u0007.txt"))
        .isEqualTo(
            "attachment; filename=\"say _hi__50__.txt\";"
                + " filename*=UTF-8''say%20%22hi%22%5C50%25%07.txt");
  }

  @Test
  void anyOtherCharacterIsOneUnderscoreInTheAsciiNameAndUtf8InTheOther() {
    assertThat(FileNames.contentDisposition("\u65e5\u672c\ud83d\ude00.csv"))
        .isEqualTo(
            "attachment; filename=\"___.csv\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%F0%9F%98%80.csv");
  }
}
