import CertHookCore
import Foundation

/// Picks the state cache path: `--state`, else the configuration's `statePath`, else
/// /var/lib/certhook/state.json when writable, else ~/.local/state/certhook/state.json.
enum StatePathResolver {
  /// Resolves the path and makes sure its folder exists.
  static func resolve(explicit: String?, configured: String?, homeDirectory: String) throws -> String {
    if let path = explicit ?? configured {
      try ensureFolder(of: path)
      return path
    }
    let system = CertHookConfiguration.defaultStatePath
    let folder = (system as NSString).deletingLastPathComponent
    let manager = FileManager.default
    if manager.fileExists(atPath: system) ? manager.isWritableFile(atPath: system) : manager.isWritableFile(atPath: folder) {
      return system
    }
    let user = homeDirectory + "/.local/state/certhook/state.json"
    try ensureFolder(of: user)
    return user
  }

  private static func ensureFolder(of path: String) throws {
    let folder = (path as NSString).deletingLastPathComponent
    guard !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) else { return }
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw CertHookError.state("cannot create the folder of the state file \(path): \(error.localizedDescription)")
    }
  }
}
