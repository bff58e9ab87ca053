#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds the files a scan reads: recursive, sorted, with globs, a symbolic-link policy and certbot awareness.
///
/// - Paths named explicitly are always followed (also through links) and always read.
/// - Below them, symbolic links to files are read (certbot's `live/` is made of them), each target once:
///   a file reached again, directly or through another link, is not read a second time.
///   Symbolic links to directories are entered only with `followSymbolicLinks`; loops are detected.
///   Broken links are reported as failures; fifos, sockets and devices are skipped.
/// - A certbot configuration directory (one holding `live/` and `archive/`) is scanned through `live/` only,
///   so archived old versions are not reported; a certbot lineage directory (`cert.pem` + `fullchain.pem`)
///   or an acme.sh domain directory (`ca.cer` + `fullchain.cer`) reports each certificate once
///   (see ``ScanTarget/dedupeGroup``).
/// - `includeGlobs` (fnmatch patterns) filter the files found by walking: a pattern with a `/` is
///   matched against the whole path, one without against the file name.
public struct ScanWalker: Sendable {
  /// Enter symbolic links to directories (loops are detected and skipped).
  public var followSymbolicLinks: Bool
  /// When not empty, only walked files matching one of these patterns are read.
  public var includeGlobs: [String]

  /// Creates a walker.
  public init(followSymbolicLinks: Bool = false, includeGlobs: [String] = []) {
    self.followSymbolicLinks = followSymbolicLinks
    self.includeGlobs = includeGlobs
  }

  /// The files to read and the paths that could not be walked, in a stable order
  /// (command-line order, then byte order of names, depth first).
  public func walk(_ paths: [String]) -> (targets: [ScanTarget], failures: [ScanFailure]) {
    var targets: [ScanTarget] = []
    var failures: [ScanFailure] = []
    walk(paths) { item in
      switch item {
      case .target(let target): targets.append(target)
      case .failure(let failure): failures.append(failure)
      }
    }
    return (targets, failures)
  }

  /// Walks `paths`, handing each file to read and each path that failed to `emit` as soon as it is found,
  /// in walk order.
  public func walk(_ paths: [String], emit: (ScanWalkItem) -> Void) {
    var state = WalkState()
    for path in paths {
      walkRoot(path, state: &state, emit: emit)
    }
  }

  private func walkRoot(_ path: String, state: inout WalkState, emit: (ScanWalkItem) -> Void) {
    let info: stat
    switch FileSystemCall.status(path, followLinks: true) {
    case .success(let value):
      info = value
    case .failure(let error):
      if case .success(let link) = FileSystemCall.status(path, followLinks: false), FileSystemCall.isSymlink(link) {
        emit(.failure(ScanFailure(path: path, message: error.linkMessage)))
      } else {
        emit(.failure(ScanFailure(path: path, message: error.message)))
      }
      return
    }
    if FileSystemCall.isDirectory(info) {
      walkDirectory(path, identity: FileIdentity(info), state: &state, emit: emit)
    } else if FileSystemCall.isRegular(info) {
      let identity = FileIdentity(info)
      guard state.linkTargets.insert(identity).inserted, !state.directFiles.contains(identity) else { return }
      emit(.target(ScanTarget(path: path, isExplicit: true)))
    } else {
      emit(.failure(ScanFailure(path: path, message: "not a regular file or directory")))
    }
  }

  private func walkDirectory(
    _ path: String, identity: FileIdentity, state: inout WalkState, emit: (ScanWalkItem) -> Void
  ) {
    guard state.directories.insert(identity).inserted else { return }
    let entries: [DirectoryEntry]
    switch DirectoryEntry.list(path) {
    case .success(let list): entries = list
    case .failure(let error):
      emit(.failure(ScanFailure(path: path, message: error.message)))
      return
    }
    let names = Set(entries.map(\.name))
    let isCertbotConfig = names.contains("live") && names.contains("archive")
    // A certbot lineage (cert.pem, chain.pem, fullchain.pem) or an acme.sh domain directory (DOMAIN.cer,
    // ca.cer, fullchain.cer) holds every certificate twice: report each once.
    let isLineage =
      (names.contains("cert.pem") && names.contains("fullchain.pem"))
      || (names.contains("ca.cer") && names.contains("fullchain.cer"))
    let group: Int? = isLineage ? state.nextGroup() : nil
    let prefix = path.hasSuffix("/") ? path : path + "/"
    for entry in entries {
      if isCertbotConfig && entry.name == "archive" { continue }
      visit(entry, path: prefix + entry.name, device: identity.device, group: group, state: &state, emit: emit)
    }
  }

  private func visit(
    _ entry: DirectoryEntry, path: String, device: UInt64, group: Int?, state: inout WalkState,
    emit: (ScanWalkItem) -> Void
  ) {
    var kind = entry.kind
    if kind == .unknown {
      guard case .success(let info) = FileSystemCall.status(path, followLinks: false) else { return }
      kind = DirectoryEntry.Kind(info)
    }
    switch kind {
    case .directory:
      guard case .success(let info) = FileSystemCall.status(path, followLinks: false) else { return }
      walkDirectory(path, identity: FileIdentity(info), state: &state, emit: emit)
    case .regular:
      guard isIncluded(path, name: entry.name) else { return }
      let identity = FileIdentity(device: device, inode: entry.inode)
      guard !state.linkTargets.contains(identity) else { return }
      state.directFiles.insert(identity)
      emit(.target(ScanTarget(path: path, isExplicit: false, dedupeGroup: group)))
    case .symbolicLink:
      visitLink(path, name: entry.name, group: group, state: &state, emit: emit)
    case .unknown, .other:
      return
    }
  }

  private func visitLink(
    _ path: String, name: String, group: Int?, state: inout WalkState, emit: (ScanWalkItem) -> Void
  ) {
    let info: stat
    switch FileSystemCall.status(path, followLinks: true) {
    case .success(let value): info = value
    case .failure(let error):
      if isIncluded(path, name: name) {
        emit(.failure(ScanFailure(path: path, message: error.linkMessage)))
      }
      return
    }
    if FileSystemCall.isDirectory(info) {
      if followSymbolicLinks { walkDirectory(path, identity: FileIdentity(info), state: &state, emit: emit) }
    } else if FileSystemCall.isRegular(info) {
      guard isIncluded(path, name: name) else { return }
      let identity = FileIdentity(info)
      guard !state.directFiles.contains(identity), state.linkTargets.insert(identity).inserted else { return }
      emit(.target(ScanTarget(path: path, isExplicit: false, dedupeGroup: group)))
    }
  }

  private func isIncluded(_ path: String, name: String) -> Bool {
    if includeGlobs.isEmpty { return true }
    for glob in includeGlobs {
      let subject = glob.contains("/") ? path : name
      if fnmatch(glob, subject, 0) == 0 { return true }
    }
    return false
  }
}

/// The mutable bookkeeping of one walk.
private struct WalkState {
  /// Directories entered (loop and duplicate protection).
  var directories: Set<FileIdentity> = []
  /// Regular files met directly while walking (hard links to each other are all read).
  var directFiles: Set<FileIdentity> = []
  /// Files reached through a link or named on the command line: read once.
  var linkTargets: Set<FileIdentity> = []
  private var groups = 0

  mutating func nextGroup() -> Int {
    groups += 1
    return groups
  }
}
