/// How many certificates a report holds per status, and how many failures.
public struct ScanCounts: Sendable, Hashable {
  /// All certificates.
  public var certificates = 0
  /// Valid and outside the warning window.
  public var ok = 0
  /// Inside the warning window.
  public var warning = 0
  /// Inside the critical window.
  public var critical = 0
  /// Past notAfter.
  public var expired = 0
  /// Before notBefore.
  public var notYetValid = 0
  /// Files or directories that could not be read.
  public var failures = 0
  /// Findings on certificates that were read (malformed extensions, DNS names that are not host names).
  public var findings = 0

  /// All zero.
  public init() {}
}
