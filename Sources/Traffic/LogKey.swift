/// The keys of stacktop's access log formats that the parser reads, recognised from raw bytes.
enum LogKey: Equatable {
    case status, requestTime, requestTimeMicros, upstreamTime, upstreamStatus
    case workerPid, serverPid, msec, epochMillis, time, other

    /// Recognises the `count` bytes at `p + start` by their length first, then by one or two
    /// unaligned word loads that stay inside the key (a key of 8 to 16 bytes is its first and last
    /// 8 bytes, which may overlap).
    @inline(__always)
    init(_ p: UnsafePointer<UInt8>, _ start: Int, _ count: Int) {
        let k = UnsafeRawPointer(p + start)
        @inline(__always) func is4(_ s: StaticString) -> Bool {  // 4 bytes
            k.loadUnaligned(as: UInt32.self) == UnsafeRawPointer(s.utf8Start).loadUnaligned(as: UInt32.self)
        }
        @inline(__always) func is6(_ s: StaticString) -> Bool {  // 6 bytes: 0..<4 and 2..<6
            let t = UnsafeRawPointer(s.utf8Start)
            return k.loadUnaligned(as: UInt32.self) == t.loadUnaligned(as: UInt32.self)
                && k.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
                    == t.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        }
        @inline(__always) func is8to16(_ s: StaticString) -> Bool {  // count bytes, count in 8...16
            let t = UnsafeRawPointer(s.utf8Start)
            return k.loadUnaligned(as: UInt64.self) == t.loadUnaligned(as: UInt64.self)
                && k.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                    == t.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        switch count {
        case 4:
            self = is4("msec") ? .msec : is4("time") ? .time : .other
        case 6:
            self = is6("status") ? .status : .other
        case 8:
            self = is8to16("epoch_ms") ? .epochMillis : .other
        case 9:
            self = is8to16("nginx_pid") ? .serverPid : .other
        case 10:
            self = is8to16("worker_pid") ? .workerPid : is8to16("apache_pid") ? .serverPid : .other
        case 12:
            self = is8to16("request_time") ? .requestTime : .other
        case 13:
            self = is8to16("upstream_time") ? .upstreamTime : .other
        case 15:
            self =
                is8to16("upstream_status") ? .upstreamStatus : is8to16("request_time_us") ? .requestTimeMicros : .other
        default:
            self = .other
        }
    }
}
