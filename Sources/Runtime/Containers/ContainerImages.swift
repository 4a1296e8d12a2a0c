import Foundation
import Glibc
import StackRecipes

/// Builds a `container: true` stack's images offline and caches them in podman's own store,
/// tagged by the hash of their inputs: the base (mmdebstrap from the machine's apt mirror, then
/// `podman import`) once per package list, the stack image (app + venv) once per app content,
/// and for a `container: pod` stack one image per component. An older image of the same
/// repository is removed when a new one is built, so the cache holds one base and one image per
/// topology (or per pod component).
public struct ContainerImages: Sendable {
    public var engine: ContainerEngine
    /// Scratch space for the base tar and the build context (emptied after each build).
    public var workDirectory: String
    public var mmdebstrap: String
    /// Polled during a build: true stops it (the launch was interrupted).
    public var shouldStop: @Sendable () -> Bool = { false }

    public init(
        engine: ContainerEngine, workDirectory: String = ContainerImages.defaultWorkDirectory,
        mmdebstrap: String = "/usr/bin/mmdebstrap"
    ) {
        self.engine = engine
        self.workDirectory = workDirectory
        self.mmdebstrap = mmdebstrap
    }

    /// `/var/tmp/stacktop-images` (large: the base tar is ~250 MB while it is built).
    public static let defaultWorkDirectory = "/var/tmp/stacktop-images"

    /// One step of a build, for progress lines.
    public typealias Progress = @Sendable (_ step: String, _ detail: String) -> Void

    /// Why an image could not be built.
    public struct BuildError: Error, Sendable, CustomStringConvertible {
        public var description: String
        public var logTail: [String]
    }

    /// The base image's tag, built first if it is missing.
    public func ensureBase(progress: Progress) throws(BuildError) -> String {
        let tag = ContainerImage.baseTag
        if engine.imageExists(tag) {
            progress("base", "\(tag) cached")
            return tag
        }
        guard access(mmdebstrap, X_OK) == 0 else {
            throw BuildError(
                description: "\(mmdebstrap) is missing: run scripts/install-components --containers", logTail: [])
        }
        let lock = try locked()
        defer { close(lock) }
        if engine.imageExists(tag) { return tag }  // another stacktop built it while we waited
        let dir = workDirectory + "/base-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tar = dir + "/base.tar"
        progress(
            "base",
            "mmdebstrap \(ContainerImage.suite) from the apt mirror: \(ContainerImage.basePackages.joined(separator: " ")) (about 30 s)"
        )
        let took = Stopwatch()
        let argv =
            [mmdebstrap] + ContainerImage.mmdebstrapOptions
            + ["--include=" + ContainerImage.basePackages.joined(separator: ","), ContainerImage.suite, tar]
        let built = CommandRun.run(
            argv, environment: engine.environment, timeoutSeconds: 900,
            outputFile: dir + "/mmdebstrap.log", shouldStop: shouldStop)
        guard built.ok else {
            throw BuildError(description: "mmdebstrap failed (status \(built.status))", logTail: built.tail(8))
        }
        progress("base", "rootfs built in \(took.elapsedMs / 1000) s; podman import")
        let imported = engine.run(["import", "--change", "CMD [\"/bin/sh\"]", tar, tag], timeoutSeconds: 300)
        guard imported.ok else {
            throw BuildError(description: "podman import failed (status \(imported.status))", logTail: imported.tail(8))
        }
        progress("base", "\(tag) built in \(took.elapsedMs / 1000) s")
        return tag
    }

    /// The stack image for `topology` with the app at `appDirectory`, built if its inputs changed.
    public func ensureStack(topology: String, appDirectory: String, progress: Progress) throws(BuildError) -> String {
        let base = try ensureBase(progress: progress)
        return try ensureImage(
            repository: ContainerImage.repository(topology: topology), base: base,
            appDirectory: appDirectory, progress: progress
        ) { inputs in
            ContainerImage.stackContainerfile(base: base, inputs: inputs)
        }
    }

    /// The image of `component` of a `container: pod` topology, built if its inputs changed:
    /// an app server's holds the app at `appDirectory`, another's only the base.
    public func ensureComponent(
        topology: String, component: String, appDirectory: String?,
        progress: Progress
    ) throws(BuildError) -> String {
        let base = try ensureBase(progress: progress)
        return try ensureImage(
            repository: ContainerImage.repository(topology: topology, component: component),
            base: base, appDirectory: appDirectory, progress: progress
        ) { inputs in
            ContainerImage.componentContainerfile(
                base: base, inputs: inputs, component: component,
                withApp: appDirectory != nil)
        }
    }

    /// `repository:HASH`, where HASH covers the Containerfile and the app's files (if any):
    /// found in podman's store, or built from `containerfile(HASH)` with the app as `app/`.
    private func ensureImage(
        repository: String, base: String, appDirectory: String?, progress: Progress,
        containerfile: (String) -> String
    ) throws(BuildError) -> String {
        let files = appDirectory.map(AppFiles.list) ?? []
        let inputs = InputHash.of([base, containerfile("")] + files.flatMap { [$0.path, $0.contents] })
        let tag = repository + ":" + inputs
        if engine.imageExists(tag) {
            progress("image", "\(tag) cached (inputs unchanged)")
            return tag
        }
        let dir = workDirectory + "/image-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            for f in files {
                let path = dir + "/app/" + f.path
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
                try f.contents.write(toFile: path, atomically: false, encoding: .utf8)
            }
            try FileManager.default.createDirectory(atPath: dir + "/app", withIntermediateDirectories: true)
            try containerfile(inputs).write(toFile: dir + "/Containerfile", atomically: false, encoding: .utf8)
        } catch {
            throw BuildError(description: "cannot write the build context in \(dir): \(error)", logTail: [])
        }
        progress("image", "podman build \(tag)")
        let took = Stopwatch()
        let built = engine.run(
            [
                "build", "--layers=false", "--network", "none", "--pull=never", "-t", tag, "-f", dir + "/Containerfile",
                dir,
            ],
            timeoutSeconds: 300)
        guard built.ok else {
            throw BuildError(description: "podman build failed (status \(built.status))", logTail: built.tail(8))
        }
        progress("image", "\(tag) built in \(took.elapsedMs) ms")
        removeOlder(repository: repository, keeping: tag)
        return tag
    }

    /// Removes the other tags of `repository` (images of an older app or base).
    private func removeOlder(repository: String, keeping tag: String) {
        let r = engine.run(["images", "--format", "{{.Repository}}:{{.Tag}}", repository], timeoutSeconds: 30)
        guard r.ok else { return }
        for line in r.output.split(separator: "\n").map(String.init)
        where line != tag && line.hasPrefix(repository + ":") {
            _ = engine.run(["rmi", line], timeoutSeconds: 60)
        }
    }

    /// Holds an exclusive lock on the work directory's lock file (two stacktops never run
    /// mmdebstrap at once); returns the open descriptor to close.
    private func locked() throws(BuildError) -> Int32 {
        try? FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let fd = open(workDirectory + "/build.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw BuildError(
                description: "cannot open \(workDirectory)/build.lock: \(String(cString: strerror(errno)))", logTail: []
            )
        }
        _ = flock(fd, LOCK_EX)
        return fd
    }
}

/// The app's files as the image gets them: text files under the app dir, sorted, without
/// bytecode caches.
enum AppFiles {
    struct File { var path: String; var contents: String }

    static func list(_ directory: String) -> [File] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [File] = []
        while let relative = walker.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0 == "__pycache__" || $0.hasPrefix(".") }) { continue }
            var isDir: ObjCBool = false
            let path = directory + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                let data = FileManager.default.contents(atPath: path)
            else { continue }
            files.append(File(path: relative, contents: String(decoding: data, as: UTF8.self)))
        }
        return files.sorted { $0.path < $1.path }
    }
}
