import Discovery
import Foundation
import Glibc
import Synchronization

/// Discovery's view of this machine: /proc for processes, sockets and fds; the servers' own
/// programs (`nginx -T`) for their configuration.
public struct LinuxSystemView: SystemView {
    public var procRoot: String
    /// The longest a config dump may take.
    public var commandTimeoutMs: Int

    public init(procRoot: String = "/proc", commandTimeoutMs: Int = 5000) {
        self.procRoot = procRoot
        self.commandTimeoutMs = commandTimeoutMs
    }

    public func processes() -> [SystemProcess] {
        let table = LinuxProcessTable(procRoot: procRoot)
        return table.pids().compactMap { pid in
            guard let r = table.record(of: pid), !r.isDead, let cmd = table.commandLine(of: pid),
                let uid = table.uid(of: pid)
            else { return nil }
            return SystemProcess(
                pid: pid, ppid: r.ppid, startTime: r.startTimeTicks, uid: uid, comm: r.comm, commandLine: cmd)
        }
    }

    public func tcpListeners() -> [ProcNet.TCPListener] {
        ["net/tcp", "net/tcp6"].flatMap { file in
            SmallFile.read("\(procRoot)/\(file)", limit: 16 << 20).map {
                ProcNet.tcpListeners(String(decoding: $0, as: UTF8.self))
            } ?? []
        }
    }

    public func unixSockets() -> [ProcNet.UnixSocket] {
        SmallFile.read("\(procRoot)/net/unix", limit: 16 << 20).map {
            ProcNet.unixSockets(String(decoding: $0, as: UTF8.self))
        } ?? []
    }

    public func socketInodes(of pid: Int32) -> Set<UInt64>? {
        guard let links = fdLinks(of: pid) else { return nil }
        var found = Set<UInt64>()
        for target in links where target.hasPrefix("socket:[") {
            if let inode = UInt64(target.dropFirst(8).dropLast()) { found.insert(inode) }
        }
        return found
    }

    public func openFiles(of pid: Int32) -> [String] {
        var found: [String] = []
        for target in fdLinks(of: pid) ?? []
        where target.hasPrefix("/") && !target.hasPrefix("/dev/")
            && !target.hasSuffix(" (deleted)") && !found.contains(target)
        {
            found.append(target)
        }
        return found
    }

    /// What each of the process's file descriptors points to (`socket:[INODE]`, a path, …);
    /// nil when its fds cannot be read.
    private func fdLinks(of pid: Int32) -> [String]? {
        guard let dir = opendir("\(procRoot)/\(pid)/fd") else { return nil }
        defer { closedir(dir) }
        var links: [String] = []
        var link = [CChar](repeating: 0, count: 4096)
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.first?.isNumber == true else { continue }
            let n = readlink("\(procRoot)/\(pid)/fd/\(name)", &link, link.count - 1)
            guard n > 0 else { continue }
            links.append(String(decoding: link[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return links
    }

    public func workingDirectory(of pid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("\(procRoot)/\(pid)/cwd", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func cgroup(of pid: Int32) -> String? {
        SmallFile.read("\(procRoot)/\(pid)/cgroup").map { String(decoding: $0, as: UTF8.self) }
    }

    public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public func read(_ path: String) -> String? {
        SmallFile.read(path, limit: 4 << 20).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs `argv` without a shell; output read to its end (configs can pass a pipe's buffer).
    public func run(_ argv: [String]) -> (status: Int32, output: String, errors: String)? {
        guard let first = argv.first else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: first)
        process.arguments = Array(argv.dropFirst())
        process.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(commandTimeoutMs), execute: timer)
        let errors = Mutex<Data>(Data())
        let errorsRead = DispatchSemaphore(value: 0)
        let errThread = Thread {
            errors.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() }
            errorsRead.signal()
        }
        errThread.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        errorsRead.wait()
        let errData = errors.withLock { $0 }
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errData, as: UTF8.self)
        )
    }
}
