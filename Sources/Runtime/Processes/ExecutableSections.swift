import Glibc

/// Where a section of a 64-bit little-endian ELF file lies in memory, read from its section
/// headers (for `ExecutableCodePages`: the `.rodata` that a static Swift link places inside the
/// writable segment, where it is still never written).
struct ExecutableSections {
    /// A section's address range as linked (add the load bias for a position-independent file).
    struct Section: Equatable {
        var address: UInt
        var size: UInt
    }

    /// ET_DYN (position-independent: loaded at a bias) rather than ET_EXEC.
    let isPositionIndependent: Bool
    /// The lowest PT_LOAD virtual address (the bias is where that landed minus it).
    let firstLoadAddress: UInt
    private let sections: [String: Section]

    /// Parses `bytes` (the whole file, or at least its headers and section name table); nil when
    /// it is not a 64-bit little-endian ELF file or its tables run past the bytes.
    init?(bytes: [UInt8]) {
        guard bytes.count >= 64, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46,
            bytes[4] == 2, bytes[5] == 1
        else { return nil }
        func u16(_ at: Int) -> Int? {
            at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil
        }
        func u32(_ at: Int) -> UInt? {
            guard at + 4 <= bytes.count else { return nil }
            return (0..<4).reduce(UInt(0)) { $0 | UInt(bytes[at + $1]) << (8 * $1) }
        }
        func u64(_ at: Int) -> UInt? {
            guard at + 8 <= bytes.count else { return nil }
            return (0..<8).reduce(UInt(0)) { $0 | UInt(bytes[at + $1]) << (8 * $1) }
        }
        guard let type = u16(0x10), let phoff = u64(0x20), let shoff = u64(0x28), let phentsize = u16(0x36),
            let phnum = u16(0x38), let shentsize = u16(0x3a), let shnum = u16(0x3c), let shstrndx = u16(0x3e),
            shstrndx < shnum, phentsize >= 56, shentsize >= 64
        else { return nil }
        isPositionIndependent = type == 3
        var lowest = UInt.max
        for i in 0..<phnum {
            let at = Int(phoff) + i * phentsize
            guard let pType = u32(at), let vaddr = u64(at + 16) else { return nil }
            if pType == 1 { lowest = min(lowest, vaddr) }
        }
        guard lowest != .max else { return nil }
        firstLoadAddress = lowest & ~UInt(4095)
        let names = Int(shoff) + shstrndx * shentsize
        guard let namesOffset = u64(names + 24), let namesSize = u64(names + 32),
            Int(namesOffset) + Int(namesSize) <= bytes.count
        else { return nil }
        var sections: [String: Section] = [:]
        for i in 0..<shnum {
            let at = Int(shoff) + i * shentsize
            guard let nameAt = u32(at), let address = u64(at + 16), let size = u64(at + 32) else { return nil }
            guard nameAt < namesSize else { continue }
            let start = Int(namesOffset) + Int(nameAt)
            let end = bytes[start..<Int(namesOffset + namesSize)].firstIndex(of: 0) ?? start
            sections[String(decoding: bytes[start..<end], as: UTF8.self)] = Section(address: address, size: size)
        }
        self.sections = sections
    }

    /// Reads the headers and section names of the file at `path`.
    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 64)
        guard pread(fd, &header, 64, 0) == 64 else { return nil }
        // The section headers and their name table lie at the end of the file: read from the
        // program headers' end only what they need (not the 100 MB between).
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
        let shoff = (0..<8).reduce(0) { $0 | Int(header[0x28 + $1]) << (8 * $1) }
        let shnum = Int(header[0x3c]) | Int(header[0x3d]) << 8
        let shentsize = Int(header[0x3a]) | Int(header[0x3b]) << 8
        let headersEnd = shoff + shnum * shentsize
        guard shoff > 0, headersEnd <= Int(st.st_size) else { return nil }
        // Section names usually sit just before the section headers; read the last 1 MB at most
        // and the file's first 64 KB (ELF and program headers) into one sparse buffer.
        let tailStart = max(0, headersEnd - (1 << 20))
        var bytes = [UInt8](repeating: 0, count: headersEnd)
        let front = min(65536, headersEnd)
        let readFront = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, front, 0) }
        let readTail = bytes.withUnsafeMutableBytes {
            pread(fd, $0.baseAddress! + tailStart, headersEnd - tailStart, off_t(tailStart))
        }
        guard readFront == front, readTail == headersEnd - tailStart else { return nil }
        self.init(bytes: bytes)
    }

    func section(_ name: String) -> Section? { sections[name] }
}
