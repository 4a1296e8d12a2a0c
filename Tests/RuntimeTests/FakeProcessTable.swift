import Runtime

/// A process table made of fixed records, for tests that must not read the real /proc.
struct FakeProcessTable: ProcessTable {
    var records: [ProcessRecord]
    var commandLines: [Int32: String] = [:]
    var uids: [Int32: UInt32] = [:]

    func pids() -> [Int32] { records.map(\.pid) }
    func record(of pid: Int32) -> ProcessRecord? { records.first { $0.pid == pid } }
    func commandLine(of pid: Int32) -> String? { record(of: pid) == nil ? nil : commandLines[pid] ?? "" }
    func uid(of pid: Int32) -> UInt32? { record(of: pid) == nil ? nil : uids[pid] ?? 0 }
}
