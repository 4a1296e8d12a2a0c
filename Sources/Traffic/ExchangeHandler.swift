import NIOCore
import NIOHTTP1

/// What a connection's handler tells its owner (always on the connection's event loop).
protocol ExchangeOwner: AnyObject {
    /// A response ended (`keepAlive` false when the connection must not be reused).
    func exchangeResponded(_ id: Int, status: Int, workerPid: Int32?, keepAlive: Bool)
    /// The connection failed or closed; `kind` is the error for a request in flight, if any.
    func exchangeClosed(_ id: Int, inFlightError kind: LoadErrorKind?)
}

/// Sends one HTTP/1.1 request at a time on a keep-alive connection and reports each response's
/// status and `X-Worker-Pid` to its owner.
final class ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private weak var owner: (any ExchangeOwner)?
    let id: Int
    private var context: ChannelHandlerContext?
    private var awaiting = false
    private var status = 0
    private var workerPid: Int32?
    private var keepAlive = true
    private var failure: LoadErrorKind?
    private var closedReported = false

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
    func send(_ head: HTTPRequestHead) {
        guard let context, !awaiting else { return }
        awaiting = true
        status = 0
        workerPid = nil
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Forgets the request in flight (it timed out) and closes the connection.
    func abandon() {
        awaiting = false
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
            if let value = head.headers.first(name: "X-Worker-Pid") { workerPid = Int32(value) }
        case .body:
            break
        case .end:
            guard awaiting else { return }
            awaiting = false
            owner?.exchangeResponded(id, status: status, workerPid: workerPid, keepAlive: keepAlive)
            if !keepAlive { context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failure = LoadErrorKind.classify(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !closedReported else { return }
        closedReported = true
        let kind: LoadErrorKind? = awaiting ? (failure ?? .reset) : nil
        awaiting = false
        owner?.exchangeClosed(id, inFlightError: kind)
        context.fireChannelInactive()
    }
}
