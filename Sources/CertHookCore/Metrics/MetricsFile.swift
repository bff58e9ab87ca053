import Foundation

/// Writes `--metrics-file`: reads the previous file (so last-success times and counters survive), renders the
/// merged textfile and replaces the file atomically (a temp file in the same directory, renamed over it; 0644, it
/// holds no secret). A failed write leaves the old file untouched.
public enum MetricsFile {
  /// Largest previous file read back.
  static let maxPreviousBytes = 4 * 1024 * 1024

  /// Writes `run` to `path`; throws `CertHookError.invalidArgument` naming `--metrics-file` when it cannot.
  public static func write(_ run: RunMetrics, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    // Only a regular file is read back (never a device or FIFO named by mistake), and only up to 4 MiB.
    let regular = (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular
    let previous = regular
      ? (try? BoundedRead.prefix(path, limit: maxPreviousBytes)).flatMap {
        $0.count <= maxPreviousBytes ? String(data: $0, encoding: .utf8) : nil
      } : nil
    let text = MetricsTextfile.render(run, previous: previous)
    // node-exporter reads only `*.prom`: the temp name never ends so, and holds the pid so writers never share it.
    let temp = directory + "/." + url.lastPathComponent + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
    do {
      try AtomicFileWriter.write(Data(text.utf8), to: path, temp: temp, mode: 0o644)
    } catch {
      throw CertHookError.invalidArgument("--metrics-file: \(error)")
    }
  }
}
