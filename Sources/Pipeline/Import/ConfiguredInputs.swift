import Ingest
import Storage
import Foundation

/// The files the config's `inputs` patterns name, in the order `run` imports them and `check` reads them.
package struct ConfiguredInputs {
    /// Each named relative to the config folder as matched (`exports/status/a.csv`), or absolute; messages name the
    /// file this way, like the import log and the manifest do.
    package var files: [ImportPlan.File] = []
    /// Patterns that matched nothing.
    package var warnings: [Diagnostic] = []

    /// The files as a plan: the config's formats, never `--replace`.
    package var plan: ImportPlan { ImportPlan(files: files) }

    /// Expands every pattern: matches sorted by path within a pattern, patterns in config order, a file named
    /// by two patterns taken once (the first). A pattern without wildcards names one file that must exist
    /// (exit 66, before anything is imported); a wildcard pattern that matches nothing is only a warning,
    /// since a cron run may come before the month's exports do.
    package static func expand(_ config: Config) throws -> ConfiguredInputs {
        var result = ConfiguredInputs()
        var seen = Set<String>()
        var missing: [Diagnostic] = []
        var indexByKind: [InputKind: Int] = [:]
        for input in config.inputs {
            let index = indexByKind[input.kind, default: 0]
            indexByKind[input.kind] = index + 1
            let key = "inputs.\(input.kind.rawValue)[\(index)].path"
            let glob = InputGlob(input.pattern)
            let matches = try glob.matches(relativeTo: config.directory)
            if matches.isEmpty {
                if glob.isLiteral {
                    missing.append(Diagnostic(file: input.pattern, message: "no such file (named by \(key) in \(config.path))",
                                              hint: "nothing was imported (check the path)"))
                } else {
                    result.warnings.append(Diagnostic(severity: .warning, file: config.path, location: .keyPath(key),
                                                      message: "\"\(input.pattern)\" matches no file"))
                }
                continue
            }
            var options = StatusImportOptions()
            if let labels = input.serviceLabels { options.serviceLabels = labels }
            for path in matches where seen.insert(path).inserted {
                result.files.append(ImportPlan.File(configRelative: path, config: config, format: input.format, options: options))
            }
        }
        if !missing.isEmpty { throw CommandFailure(ExitStatus.noInput, diagnostics: missing) }
        return result
    }
}
