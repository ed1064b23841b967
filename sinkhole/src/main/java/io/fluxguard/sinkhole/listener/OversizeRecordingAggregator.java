package io.fluxguard.sinkhole.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's aggregator, except that a request whose body is over the limit still counts as a hit:
 * a workstation posting a large body to the sinkhole is as telling as one asking for a page.
 */
final class OversizeRecordingAggregator extends HttpObjectAggregator {
  private final BlockPageHandler blockPage;

  OversizeRecordingAggregator(int maxContentLength, BlockPageHandler blockPage) {
    super(maxContentLength);
    this.blockPage = blockPage;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
      throws Exception {
    blockPage.recordOversized(ctx, oversized);
    super.handleOversizedMessage(ctx, oversized); // answers 413
  }
}
