/// One thing a walk finds: a file to read, or a path that could not be walked.
public enum ScanWalkItem: Sendable, Hashable {
  /// A file to read.
  case target(ScanTarget)
  /// A path that could not be walked (missing, unreadable directory, broken link...).
  case failure(ScanFailure)
}
