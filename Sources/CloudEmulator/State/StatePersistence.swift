import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads and atomically writes the `--state` file (mode 0600: it holds private keys).
enum StatePersistence {
  /// The saved state, or nil when the file does not exist.
  static func load(path: String) throws -> StoredState? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EmulatorError("state file \(path): cannot be read")
    }
    do {
      let decoder = JSONDecoder()
      decoder.dateDecodingStrategy = .millisecondsSince1970
      return try decoder.decode(StoredState.self, from: data)
    } catch {
      throw EmulatorError("state file \(path): not an emulator state file (\(error)); move it away to start fresh")
    }
  }

  /// Writes to a temporary file created with mode 0600 next to `path`, then renames it over `path`.
  static func save(_ state: StoredState, path: String) throws {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .millisecondsSince1970
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(state)
    let temp = path + ".tmp-\(getpid())"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else {
      throw EmulatorError("state file \(path): cannot create \(temp): \(String(cString: strerror(errno)))")
    }
    var ok = fchmod(fd, 0o600) == 0
    data.withUnsafeBytes { raw in
      var offset = 0
      while ok, offset < raw.count, let base = raw.baseAddress {
        let n = write(fd, base + offset, raw.count - offset)
        if n <= 0 { ok = false } else { offset += n }
      }
    }
    if ok { ok = fsync(fd) == 0 }
    close(fd)
    guard ok, rename(temp, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temp)
      throw EmulatorError("state file \(path): cannot write: \(reason)")
    }
  }
}
