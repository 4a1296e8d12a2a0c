import Dashboard
import Foundation
import Installation
import Runtime
import StackModel
import Terminal

/// The picker's entries: every topology `stacktop list` shows, with whether it can run here and
/// why not, found off the curses thread and posted to the inbox.
enum DashboardPicker {
    /// Probes the installed servers and posts `.picker` (an empty list outside a project).
    static func offer(to inbox: DashboardInbox, paths: ProjectPaths? = ProjectPaths.discover()) {
        Task.detached {
            guard let paths else {
                inbox.send(.picker([]))
                return
            }
            let statuses = await InstallationProbe(venv: paths.venv).statuses()
            inbox.send(.picker(entries(paths: paths, statuses: statuses)))
        }
    }

    /// One entry per topology file, in `list` order, with `list`'s reason when it cannot run.
    static func entries(
        paths: ProjectPaths, statuses: [InstallationStatus],
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> [PickerEntry] {
        let files = DoctorListing.load(paths: paths.topologyFiles(), demoAppDirectory: paths.demoApp)
        let listing = DoctorListing(files: files, statuses: statuses)
        return zip(files, listing.entries).map { file, entry in
            let topology = try? file.result.get()
            return PickerEntry(
                name: entry.name, path: shown(file.path, from: currentDirectory), topology: topology,
                problem: entry.reason)
        }
    }

    /// `path` as the user would type it from `directory`: relative when it lies inside it.
    static func shown(_ path: String, from directory: String) -> String {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(base) && path.count > base.count ? String(path.dropFirst(base.count)) : path
    }
}
