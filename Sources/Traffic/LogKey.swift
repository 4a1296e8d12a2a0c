/// The keys of stacktop's access log formats that the parser reads, recognised from raw bytes.
enum LogKey {
    case status, requestTime, requestTimeMicros, upstreamTime, upstreamStatus
    case workerPid, serverPid, msec, epochMillis, time, other

    /// Recognises the key in `b[range]` by its length first, then its bytes.
    init(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        func is_(_ s: StaticString) -> Bool {
            guard s.utf8CodeUnitCount == range.count else { return false }
            let p = s.utf8Start
            var j = 0
            while j < range.count {
                if p[j] != b[range.lowerBound + j] { return false }
                j += 1
            }
            return true
        }
        switch range.count {
        case 4:
            self = is_("msec") ? .msec : is_("time") ? .time : .other
        case 6:
            self = is_("status") ? .status : .other
        case 8:
            self = is_("epoch_ms") ? .epochMillis : .other
        case 9:
            self = is_("nginx_pid") ? .serverPid : .other
        case 10:
            self = is_("worker_pid") ? .workerPid : is_("apache_pid") ? .serverPid : .other
        case 12:
            self = is_("request_time") ? .requestTime : .other
        case 13:
            self = is_("upstream_time") ? .upstreamTime : .other
        case 15:
            self = is_("upstream_status") ? .upstreamStatus : is_("request_time_us") ? .requestTimeMicros : .other
        default:
            self = .other
        }
    }
}
