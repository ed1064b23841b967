package io.fluxguard.sinkhole.listener;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockPageTest {

  @Test
  void render_escapesEveryValue() {
    String page = BlockPage.render("<b>.example", "<script>alert('x')</script>", "Call \"IT\" & ask");

    assertThat(page)
        .contains("&lt;b&gt;.example")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .contains("Call &quot;IT&quot; &amp; ask")
        .doesNotContain("<script>", "<b>");
  }

  @Test
  void render_unknownNameAndReason_saysSoPlainly() {
    assertThat(BlockPage.render(null, null, "IT desk")).contains("This site", "block list", "IT desk");
  }
}
