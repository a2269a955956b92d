import Ingest
import Storage
import Calc
import Foundation
import Render

/// A loaded, validated `sla.yaml` (§3). Paths are resolved against the config file's folder.
package struct Config {
    /// An `inputs.status[]` or `inputs.metrics[]` entry.
    package struct InputPattern {
        /// A glob relative to the config folder.
        package var pattern: String
        /// The entry's kind and `format` (`auto` when not given).
        package var format: InputFormatChoice
        /// `prometheus-json` status inputs: the labels naming a series' service, in order of preference
        /// (`service_label:`, a string or a list); nil for the default `service`, `job`, `instance`.
        package var serviceLabels: [String]? = nil

        package var kind: InputKind { format.kind }
    }

    /// The config file as the user named it.
    package var path: String
    /// The folder relative paths are resolved against.
    package var directory: URL
    /// SHA-256 of the config file's bytes (hex), for the manifest.
    package var sha256: String
    package var databasePath: URL
    /// `reports/{period}` relative to the config folder.
    package var outputDirectoryTemplate: String
    package var formats: [ReportRenderer.Format]
    package var templatesDirectory: URL?
    package var inputs: [InputPattern]
    package var estate: Estate
    /// `sources:` (§11): what `pull` (and `run` before importing) fetches; nil when not configured.
    package var sources: PullSources? = nil

    package func resolve(_ relative: String) -> URL {
        relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : directory.appendingPathComponent(relative)
    }

    /// The output folder for a period label.
    package func outputDirectory(period: String) -> URL {
        resolve(outputDirectoryTemplate.replacingOccurrences(of: "{period}", with: period))
    }

    /// The path an input file is recorded under: relative to the config folder when inside it.
    package func recordedPath(of url: URL) -> String {
        let full = url.standardizedFileURL.path
        let base = directory.standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
    }
}
