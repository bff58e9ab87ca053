import CertHookCore
import Foundation

/// Finds and decodes the configuration file: `--config`, else `CERTHOOK_CONFIG`, else /etc/certhook/config.yaml.
enum ConfigurationLoader {
  /// The default location.
  static let defaultPath = "/etc/certhook/config.yaml"

  /// The largest configuration file read (4 MiB, about 15,000 deployments): a larger file is refused after
  /// reading at most this many bytes and one more, never read whole into memory.
  static let maximumBytes = 4 * 1024 * 1024

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
    let data = try boundedContents(path)
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

  /// At most `maximumBytes` of the file; a larger one is a configuration error naming the file and the limit.
  static func boundedContents(_ path: String, limit: Int = maximumBytes) throws -> Data {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CertHookError.configuration(path: "", message: "\(path) cannot be read (check its permissions)")
    }
    defer { try? handle.close() }
    let data: Data
    do {
      data = try handle.read(upToCount: limit + 1) ?? Data()
    } catch {
      throw CertHookError.configuration(path: "", message: "\(path) cannot be read: \(error.localizedDescription)")
    }
    guard data.count <= limit else {
      throw CertHookError.configuration(
        path: "",
        message: "\(path) is larger than \(limit) bytes (\(limit / 1024 / 1024) MiB), the most certhook reads; "
          + "split the deployments over several files")
    }
    return data
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
