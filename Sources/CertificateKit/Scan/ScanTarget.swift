/// One file that a scan will read, as found by ``ScanWalker``.
public struct ScanTarget: Sendable, Hashable {
  /// The path under which the file is reported (a symbolic link keeps the link's path).
  public let path: String
  /// True when the file was named on the command line: then non-certificate content is an error,
  /// not a silent skip.
  public let isExplicit: Bool
  /// Files that share a group (one certbot `live/<name>/` lineage) report each certificate once.
  public let dedupeGroup: Int?

  /// Creates a target.
  public init(path: String, isExplicit: Bool, dedupeGroup: Int? = nil) {
    self.path = path
    self.isExplicit = isExplicit
    self.dedupeGroup = dedupeGroup
  }
}
