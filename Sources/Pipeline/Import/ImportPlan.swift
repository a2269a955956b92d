import Ingest
import Foundation

/// What to import and how: the one description `import status`, `import metrics`, `run`, `check` and `verify` hand
/// to `Importer` (and `pull` will, for the responses it archives).
///
/// Each file carries the name messages give it, the path the import log records, and how to read it: its kind and
/// format (`auto` or one format) and, for status files, the `--since`/`--until` range and `--service-label`s.
/// `replace` (`--replace`) applies to every file of the plan.
package struct ImportPlan {
    package struct File {
        /// Where the bytes are.
        package var url: URL
        /// The file as the user named it (a command argument, a config pattern's match, a manifest's path).
        package var name: String
        /// The path the import log and the manifest record: relative to the config folder when inside it.
        package var recordedPath: String
        package var format: InputFormatChoice
        /// Status files only: the time range and `prometheus-json`'s service labels.
        package var options = StatusImportOptions()

        package var kind: InputKind { format.kind }

        package init(url: URL, name: String, recordedPath: String, format: InputFormatChoice,
                     options: StatusImportOptions = StatusImportOptions()) {
            self.url = url
            self.name = name
            self.recordedPath = recordedPath
            self.format = format
            self.options = options
        }

        /// A file named relative to the config folder (a config input, a manifest's input), recorded as the config
        /// records it.
        package init(configRelative path: String, config: Config, format: InputFormatChoice,
                     options: StatusImportOptions = StatusImportOptions()) {
            let url = config.resolve(path)
            self.init(url: url, name: path, recordedPath: config.recordedPath(of: url), format: format, options: options)
        }
    }

    package var files: [File]
    /// Overwrite stored samples that a file contradicts, and record that in the import log.
    package var replace = false

    package init(files: [File], replace: Bool = false) {
        self.files = files
        self.replace = replace
    }

    /// Files named on the command line (`import status|metrics FILE…`): paths relative to the working directory,
    /// each read as `format` with `options`.
    package init(paths: [String], format: InputFormatChoice, options: StatusImportOptions = StatusImportOptions(),
                 replace: Bool, config: Config) {
        self.init(files: paths.map { path in
            let url = URL(fileURLWithPath: path)
            return File(url: url, name: path, recordedPath: config.recordedPath(of: url), format: format, options: options)
        }, replace: replace)
    }
}
