import Foundation

/// Reads at most `limit + 1` bytes of a file, so a huge file or a device (`/dev/zero`) given where a small file
/// belongs is refused by size instead of exhausting memory.
enum BoundedRead {
  /// The first `limit + 1` bytes of `path` (a result longer than `limit` means the file is too large).
  static func prefix(_ path: String, limit: Int) throws -> Data {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CocoaError(.fileReadNoPermission)
    }
    defer { try? handle.close() }
    return try handle.read(upToCount: limit + 1) ?? Data()
  }
}
