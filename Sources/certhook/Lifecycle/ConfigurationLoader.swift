import CertHookCore
import Foundation

/// Finds and decodes the configuration file: `--config`, else `CERTHOOK_CONFIG`, else /etc/certhook/config.yaml.
enum ConfigurationLoader {
  /// The default location.
  static let defaultPath = "/etc/certhook/config.yaml"

  /// Loads the configuration; a missing default file gives nil unless `required`.
  /// A file named by `--config` or `CERTHOOK_CONFIG` must exist.
  static func load(explicitPath: String?, environment: [String: String], required: Bool) throws -> LoadedConfiguration? {
    let named = explicitPath ?? environment["CERTHOOK_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    let path = named ?? defaultPath
    let origin = explicitPath != nil ? "--config" : (named != nil ? "CERTHOOK_CONFIG" : "the default location")
    guard FileManager.default.fileExists(atPath: path) else {
      if named == nil && !required { return nil }
      throw CertHookError.configuration(
        path: "", message: "\(path) (from \(origin)) does not exist; pass --config FILE or set CERTHOOK_CONFIG")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CertHookError.configuration(path: "", message: "\(path) cannot be read (check its permissions)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CertHookError.configuration(path: "", message: "\(path) is not UTF-8 text")
    }
    let (configuration, decodeWarnings) = try CertHookConfiguration.decode(yaml: text, source: path)
    var warnings = decodeWarnings
    if let mode = fileMode(path), let warning = configuration.permissionWarning(path: path, mode: mode) {
      warnings.append(warning)
    }
    return LoadedConfiguration(
      path: path, configuration: configuration, warnings: warnings, setsStatePath: setsStatePath(text))
  }

  /// The permission bits of a file, or nil when it cannot be inspected.
  static func fileMode(_ path: String) -> UInt16? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let permissions = attributes[.posixPermissions] as? NSNumber
    else { return nil }
    return UInt16(truncatingIfNeeded: permissions.intValue)
  }

  /// Whether the YAML names a state path at top level (`statePath`, `state_path` or `state`).
  private static func setsStatePath(_ text: String) -> Bool {
    text.split(separator: "\n").contains { line in
      ["statePath:", "state_path:", "state:"].contains { line.hasPrefix($0) }
    }
  }
}
