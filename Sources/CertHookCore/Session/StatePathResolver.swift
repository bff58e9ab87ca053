import Foundation

/// Picks the state cache path: `--state`, else the configuration's `statePath`, else
/// /var/lib/certhook/state.json when writable (its folder is created when /var/lib is writable), else
/// ~/.local/state/certhook/state.json.
public enum StatePathResolver {
  /// Resolves the path and makes sure its folder exists.
  public static func resolve(
    explicit: String?, configured: String?, homeDirectory: String,
    systemPath system: String = CertHookConfiguration.defaultStatePath
  ) throws -> String {
    if let path = explicit ?? configured {
      try ensureFolder(of: path)
      return path
    }
    let folder = (system as NSString).deletingLastPathComponent
    let manager = FileManager.default
    if manager.fileExists(atPath: system) {
      if manager.isWritableFile(atPath: system) { return system }
    } else if manager.fileExists(atPath: folder) {
      if manager.isWritableFile(atPath: folder) { return system }
    } else if manager.isWritableFile(atPath: (folder as NSString).deletingLastPathComponent),
      (try? ensureFolder(of: system)) != nil
    {
      // Root without the systemd StateDirectory yet: hook and timer then share one cache.
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
