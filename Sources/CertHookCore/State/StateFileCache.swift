import Foundation
import NIOConcurrencyHelpers

/// The state files this process last read or wrote, by path, each with the identity of the file it was (inode,
/// size, modification time): a store reuses one instead of reading and decoding the file again while nobody
/// replaced it. A fleet's sixty (account, region) stores share one file; each used to decode all of it on open
/// and before every write.
enum StateFileCache {
  private struct Entry {
    var file: StateFile
    var identity: StateFileIO.FileIdentity
  }

  private static let entries = NIOLockedValueBox<[String: Entry]>([:])
  /// Held while a file is read: sessions that open together wait for the first one's read instead of each
  /// decoding the same file on another core.
  private static let reading = NIOLock()

  /// The file at `path`: the cached one while the file is unchanged, else read (and cached when it parsed).
  static func read(path: String) -> Result<StateFile, StateFileIO.ReadProblem> {
    reading.withLock { readOnce(path: path) }
  }

  private static func readOnce(path: String) -> Result<StateFile, StateFileIO.ReadProblem> {
    // The identity is taken before the read: a file replaced in between is read again next time, never trusted.
    let identity = StateFileIO.identity(path)
    if let identity, let entry = entries.withLockedValue({ $0[path] }), entry.identity == identity {
      return .success(entry.file)
    }
    let result = StateFileIO.read(path: path)
    if let identity, case .success(let file) = result {
      entries.withLockedValue { $0[path] = Entry(file: file, identity: identity) }
    }
    return result
  }

  /// Remembers what was just written to `path` (under its lock, so nobody replaced it since).
  static func wrote(_ file: StateFile, to path: String) {
    let identity = StateFileIO.identity(path)
    entries.withLockedValue { $0[path] = identity.map { Entry(file: file, identity: $0) } }
  }

  /// Forgets `path` (a write failed: what is on disk is unknown).
  static func forget(_ path: String) {
    entries.withLockedValue { $0[path] = nil }
  }
}
