import CertHookCore

/// A configuration file as found and decoded, with the warnings to print.
struct LoadedConfiguration: Sendable {
  /// Where it was read from.
  let path: String
  /// The decoded configuration.
  let configuration: CertHookConfiguration
  /// Decode warnings (unknown keys...) and the permission warning, already prefixed with the file.
  let warnings: [String]
  /// True when the file sets `statePath` explicitly (the decoded value always has one).
  let setsStatePath: Bool
}
