#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import NIOCore
import NIOPosix
import Supervision

extension LoadErrorKind {
    /// Sorts a socket or connect error into refused, reset, timeout or other.
    static func classify(_ error: Error) -> LoadErrorKind {
        if let io = error as? IOError { return classify(errno: io.errnoCode) }
        if let multi = error as? NIOConnectionError {
            let kinds = multi.connectionErrors.map { classify($0.error) }
            if kinds.contains(.refused) { return .refused }
            return kinds.first ?? (multi.dnsAError != nil || multi.dnsAAAAError != nil ? .other : .refused)
        }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout: return .timeout
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed: return .reset
            default: return .other
            }
        }
        return .other
    }

    /// Sorts an errno from connect, read or write into refused, reset, timeout or other.
    static func classify(errno code: Int32) -> LoadErrorKind {
        switch code {
        case ECONNREFUSED: return .refused
        case ECONNRESET, EPIPE, ECONNABORTED: return .reset
        case ETIMEDOUT: return .timeout
        default: return .other
        }
    }
}
