internal import COpenSSL

/// The OpenSSL library certhook is running on, as it reports itself.
public enum OpenSSLVersion {
  /// The runtime version string, e.g. `OpenSSL 3.0.19 27 Jan 2026`.
  public static var runtime: String {
    guard let text = OpenSSL_version(OPENSSL_VERSION) else { return "OpenSSL (unknown version)" }
    return String(cString: text)
  }
}
