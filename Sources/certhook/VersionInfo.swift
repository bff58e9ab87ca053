import CertificateKit

/// certhook's own version and the OpenSSL it runs on.
enum VersionInfo {
  static let certhook = "0.1.0"

  static var text: String {
    "certhook \(certhook) (\(OpenSSLVersion.runtime))"
  }
}
