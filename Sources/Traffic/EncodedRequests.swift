import NIOCore

/// The GET request for each path of a mix, encoded once into the bytes sent on the wire, so
/// that sending a request copies nothing and allocates nothing.
struct EncodedRequests {
    private let buffers: [ByteBuffer]

    /// `GET path HTTP/1.1` with `Host: authority` and `User-Agent: stacktop` for each path.
    /// Bytes a request target cannot carry (space, controls, non-ASCII) are percent-encoded.
    init(paths: [String], authority: String) {
        buffers = paths.map { path in
            var b = ByteBufferAllocator().buffer(capacity: 64 + 3 * path.utf8.count + authority.utf8.count)
            b.writeStaticString("GET ")
            for c in path.utf8 {
                if c > 0x20 && c < 0x7F {
                    b.writeInteger(c)
                } else {
                    let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
                    b.writeBytes([UInt8(ascii: "%"), hex[Int(c >> 4)], hex[Int(c & 0x0F)]])
                }
            }
            b.writeStaticString(" HTTP/1.1\r\nHost: ")
            b.writeString(authority)
            b.writeStaticString("\r\nUser-Agent: stacktop\r\n\r\n")
            return b
        }
    }

    /// The request for the path at `index` of the mix.
    subscript(index: Int) -> ByteBuffer { buffers[index] }

    var count: Int { buffers.count }
}
