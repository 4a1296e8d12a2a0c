import Foundation
import Glibc
import XCTest

/// A small private tmpfs for full-disk tests: mounted under /tmp, filled on demand, always
/// unmounted by `remove()` (lazily if something still holds it, so nothing stays mounted).
struct HardeningTmpfs {
    let path: String

    /// Mounts a tmpfs of `sizeBytes`; skips the test with the reason when mounting is not
    /// permitted (not root, no CAP_SYS_ADMIN, a container that forbids it).
    static func mount(sizeBytes: Int) throws -> HardeningTmpfs {
        guard geteuid() == 0 else {
            throw XCTSkip("full-disk tests mount a small tmpfs, which needs root (euid is \(geteuid()))")
        }
        // Short: unix socket paths of run dirs below it must stay under Linux's 108 bytes.
        let path = "/tmp/sthd-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        guard mkdir(path, 0o755) == 0 else {
            throw XCTSkip("cannot make the mount point \(path): \(String(cString: strerror(errno)))")
        }
        let mounted = "size=\(sizeBytes),mode=0755".withCString {
            Glibc.mount("tmpfs", path, "tmpfs", UInt(MS_NOSUID | MS_NODEV), $0)
        }
        guard mounted == 0 else {
            let reason = String(cString: strerror(errno))
            rmdir(path)
            throw XCTSkip("mounting a tmpfs is not permitted here (\(reason)): full-disk tests need it")
        }
        return HardeningTmpfs(path: path)
    }

    /// Bytes an unprivileged writer could still write.
    var freeBytes: Int64 {
        var fs = statvfs()
        guard statvfs(path, &fs) == 0 else { return -1 }
        return Int64(fs.f_bavail) * Int64(fs.f_frsize)
    }

    /// Writes a filler file until at most `leaving` bytes are free (0: until ENOSPC).
    func fill(leaving: Int64 = 0) {
        let fd = open(path + "/filler-\(UInt32.random(in: 0...UInt32.max))", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x2e, count: 4096)
        while freeBytes > leaving {
            let want = Int(min(Int64(chunk.count), max(1, freeBytes - leaving)))
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, want) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
        }
    }

    /// Unmounts (lazily when busy) and removes the mount point; returns whether it is gone from
    /// /proc/self/mounts.
    @discardableResult
    func remove() -> Bool {
        if umount2(path, 0) != 0 && errno == EBUSY { umount2(path, Int32(MNT_DETACH)) }
        rmdir(path)
        return !HardeningTmpfs.isMounted(path)
    }

    static func isMounted(_ path: String) -> Bool {
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        return mounts.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first == Substring(path) }
    }
}
