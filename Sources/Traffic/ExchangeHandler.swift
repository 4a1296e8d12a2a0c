import NIOCore
import Supervision

/// What a connection's handler tells its owner (always on the connection's event loop).
protocol ExchangeOwner: AnyObject {
    /// A response ended (`keepAlive` false when the connection must not be reused).
    func exchangeResponded(_ id: Int, _ response: ParsedResponse)
    /// The connection failed or closed; `kind` is the error for a request in flight, if any.
    func exchangeClosed(_ id: Int, inFlightError kind: LoadErrorKind?)
}

/// Sends one pre-encoded HTTP/1.1 request at a time on a keep-alive connection, reads the
/// responses with `HTTPResponseParser` (the only handler in the pipeline: bytes in, bytes out)
/// and reports each response's status and `X-Worker-Pid` to its owner.
///
/// Its state is touched only on the channel's event loop, by one call at a time, and never while
/// a mutation of the same property is under way (the owner is called after the parser returns):
/// `@exclusivity(unchecked)` drops the runtime exclusivity checks that otherwise cost about a
/// tenth of the generator's user-space instructions per response.
final class ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private weak var owner: (any ExchangeOwner)?
    let id: Int
    @exclusivity(unchecked) private var context: ChannelHandlerContext?
    @exclusivity(unchecked) private var parser = HTTPResponseParser()
    @exclusivity(unchecked) private var awaiting = false
    @exclusivity(unchecked) private var closing = false
    @exclusivity(unchecked) private var failure: LoadErrorKind?
    @exclusivity(unchecked) private var closedReported = false

    init(id: Int, owner: any ExchangeOwner) {
        self.id = id
        self.owner = owner
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes a request; the caller sends only when the previous response has ended.
    func send(_ request: ByteBuffer) {
        guard let context, !awaiting, !closing else { return }
        awaiting = true
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    /// Forgets the request in flight (it timed out) and closes the connection.
    func abandon() {
        awaiting = false
        close()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        do {
            while !closing, buffer.readableBytes > 0 || parser.keepsBytes, let response = try parser.feed(&buffer) {
                responded(response)
            }
        } catch {
            failure = (error as? HTTPResponseParseError)?.kind ?? .other
            close()
        }
    }

    private func responded(_ response: ParsedResponse) {
        guard awaiting else { return }  // bytes nobody asked for are read and dropped
        awaiting = false
        owner?.exchangeResponded(id, response)
        if !response.keepAlive { close() }
    }

    private func close() {
        guard !closing else { return }
        closing = true
        context?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if failure == nil { failure = LoadErrorKind.classify(error) }
        close()
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !closedReported else { return }
        closedReported = true
        if !closing && failure == nil {
            // The server closed: that ends a body delimited by the close, or cuts one short.
            do {
                if let response = try parser.endOfInput() { closing = true; responded(response) }
            } catch {
                failure = (error as? HTTPResponseParseError)?.kind ?? .other
            }
        }
        let kind: LoadErrorKind? = awaiting ? (failure ?? .reset) : nil
        awaiting = false
        owner?.exchangeClosed(id, inFlightError: kind)
        context.fireChannelInactive()
    }
}
