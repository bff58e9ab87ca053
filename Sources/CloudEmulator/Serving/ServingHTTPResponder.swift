import NIOCore
import NIOHTTP1

/// Answers every HTTP request on a TLS listener with `200` and a one-line body naming the listener,
/// then closes; enough for `curl --resolve` to finish.
final class ServingHTTPResponder: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let listenerId: String

  init(listenerId: String) {
    self.listenerId = listenerId
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .end = unwrapInboundIn(data) else { return }
    let body = "certhook emulator: TLS listener \(listenerId)\n"
    var head = HTTPResponseHead(version: .http1_1, status: .ok)
    head.headers.add(name: "content-type", value: "text/plain")
    head.headers.add(name: "content-length", value: String(body.utf8.count))
    head.headers.add(name: "connection", value: "close")
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
    let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    context.close(promise: nil)
  }
}
