import Glibc

/// The read-only data half of `ExecutableCodePages`: pages of the executable's read-only
/// mappings (`r--p`: headers, `.data.rel.ro` after the loader made it read-only) and of its
/// `.rodata` section (which a static Swift link places in the writable segment, where nothing
/// writes it: constants and ICU's tables) that are still the file's own, i.e. present and not a
/// private copy (/proc/self/pagemap bits 63 and 61). Nothing can write these pages between the
/// look and the release, so dropping them changes nothing but residency; private copies (a
/// relocated page, a page `.rodata` shares with writable data) stay.
enum ExecutableReadOnlyPages {
    /// Releases them; the kB released.
    static func release(mappings: [ExecutableCodePages.Mapping], executable: String) -> Int {
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        var ranges = mappings.filter { $0.permissions == "r--p" }.map { (start: $0.start, end: $0.end) }
        if let rodata = rodataRange(mappings: mappings, executable: executable, page: page) { ranges.append(rodata) }
        let fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        return ranges.reduce(0) { $0 + dropFilePages(pagemap: fd, from: $1.start, to: $1.end, page: page) }
    }

    /// `.rodata`'s whole pages, where this process has it mapped; nil when the file's section
    /// headers cannot be read or the range lies outside its mappings.
    static func rodataRange(
        mappings: [ExecutableCodePages.Mapping], executable: String, page: UInt
    ) -> (start: UInt, end: UInt)? {
        guard let elf = ExecutableSections(path: executable), let rodata = elf.section(".rodata") else { return nil }
        var bias: UInt = 0
        if elf.isPositionIndependent {
            guard let base = mappings.first(where: { $0.fileOffset == 0 }), base.start >= elf.firstLoadAddress
            else { return nil }
            bias = base.start - elf.firstLoadAddress
        }
        let start = (bias + rodata.address + page - 1) / page * page
        let end = (bias + rodata.address + rodata.size) / page * page
        guard start < end, mappings.contains(where: { $0.start <= start && end <= $0.end }) else { return nil }
        return (start, end)
    }

    /// Drops the runs of present, file-backed pages in [start, end); the kB dropped.
    private static func dropFilePages(pagemap fd: Int32, from start: UInt, to end: UInt, page: UInt) -> Int {
        let pages = Int((end - start) / page)
        guard pages > 0 else { return 0 }
        var entries = [UInt64](repeating: 0, count: pages)
        let want = pages * 8
        let got = entries.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(start / page * 8)) }
        guard got == want else { return 0 }
        var dropped = 0
        var runStart: Int?
        func flush(_ upTo: Int) {
            guard let first = runStart else { return }
            runStart = nil
            guard let base = UnsafeMutableRawPointer(bitPattern: start + UInt(first) * page) else { return }
            if madvise(base, (upTo - first) * Int(page), MADV_DONTNEED) == 0 {
                dropped += (upTo - first) * Int(page) / 1024
            }
        }
        for i in 0..<pages {
            let e = entries[i]
            if e >> 63 & 1 == 1 && e >> 61 & 1 == 1 {
                if runStart == nil { runStart = i }
            } else {
                flush(i)
            }
        }
        flush(pages)
        return dropped
    }
}
