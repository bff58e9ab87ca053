import Foundation

/// Reads certificate, chain and key files under one size limit, so `inspect`, `scan` and the deploy hook agree
/// on what is too large: real files are a few kilobytes, and no command may spend its time limit (or the
/// machine's memory) on a huge one.
public enum CertificateFile {
  /// The largest certificate, chain or key file any command reads: 16 MiB.
  public static let maxBytes = 16 * 1024 * 1024

  /// Why a file of `size` bytes is refused (the same words everywhere).
  public static func tooLargeReason(_ size: Int) -> String {
    "\(size) bytes is too large for a certificate or key file (limit 16 MiB)"
  }

  /// Reads a whole regular file of at most `maxBytes`; errors name the path and say what is wrong with it
  /// (missing, a directory, a symlink loop, a FIFO or device, too large) instead of a generic I/O failure.
  public static func read(_ path: String) throws -> [UInt8] {
    switch FileSystemCall.status(path, followLinks: true) {
    case .failure(let failure):
      throw CertificateKitError.unreadableFile(path: path, reason: failure.message)
    case .success(let info):
      if FileSystemCall.isDirectory(info) {
        throw CertificateKitError.unreadableFile(path: path, reason: "is a directory, not a file")
      }
      guard FileSystemCall.isRegular(info) else {
        throw CertificateKitError.unreadableFile(path: path, reason: "not a regular file (a fifo, socket or device)")
      }
    }
    switch ScanFileReader.read(path, maxSize: maxBytes) {
    case .bytes(let bytes): return bytes
    case .tooLarge(let size): throw CertificateKitError.unreadableFile(path: path, reason: tooLargeReason(size))
    case .failed(let reason): throw CertificateKitError.unreadableFile(path: path, reason: reason)
    }
  }
}
