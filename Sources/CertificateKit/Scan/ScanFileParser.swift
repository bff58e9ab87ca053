import Foundation

/// Reads one scan target and turns it into report entries, a failure, or a silent skip.
enum ScanFileParser {
  static func parse(_ target: ScanTarget, now: Date, policy: CheckPolicy, maxSize: Int) -> FileOutcome {
    let bytes: [UInt8]
    switch ScanFileReader.read(target.path, maxSize: maxSize) {
    case .bytes(let read):
      bytes = read
    case .tooLarge(let size):
      guard target.isExplicit else { return .skipped }
      return .failure(ScanFailure(path: target.path, message: CertificateFile.tooLargeReason(size)))
    case .failed(let reason):
      if !target.isExplicit && looksLikeKeyOrRequest(target.path) { return .skipped }
      return .failure(ScanFailure(path: target.path, message: reason))
    }

    let kind = ScanContentSniffer.classify(bytes)
    if !target.isExplicit {
      switch kind {
      case .pemOther, .other: return .skipped
      case .pemCertificates, .maybeDER: break
      }
    }
    do {
      let certificates = try Certificate.parseAll(bytes, source: target.path, tolerant: true)
      var entries: [CertificateReportEntry] = []
      entries.reserveCapacity(certificates.count)
      for (index, certificate) in certificates.enumerated() {
        entries.append(
          CertificateReportEntry(source: target.path, index: index, certificate: certificate, now: now, policy: policy))
      }
      return .certificates(entries, group: target.dedupeGroup)
    } catch {
      if !target.isExplicit, case .maybeDER = kind { return .skipped }
      return .failure(ScanFailure(path: target.path, message: message(error, path: target.path)))
    }
  }

  /// The error text without a leading `path: ` (the failure carries the path already).
  private static func message(_ error: Error, path: String) -> String {
    let text = String(describing: error)
    let prefix = path + ": "
    return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
  }

  /// Names of private keys and certificate requests, which are often unreadable to a monitoring user.
  private static func looksLikeKeyOrRequest(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
    return name.contains("key") || name.hasSuffix(".csr") || name.hasSuffix(".req")
  }
}
