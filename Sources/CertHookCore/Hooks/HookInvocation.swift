import Foundation

/// Which ACME client called the hook, and the files it handed over, with every path exactly as the client gave it.
public struct HookInvocation: Sendable, Equatable, Codable {
  /// The caller of the hook.
  public enum Client: String, Sendable, Codable, Equatable {
    /// certbot deploy hook (`RENEWED_LINEAGE`).
    case certbot
    /// acme.sh reload/renew hook (`CERT_PATH`...) or deploy hook (positional arguments).
    case acmeSh = "acme.sh"
    /// lego v4 run/renew hook (`LEGO_CERT_PATH`...).
    case legoV4 = "lego-v4"
    /// lego v5 deploy hook (`LEGO_HOOK_*`).
    case legoV5 = "lego-v5"
    /// Files given explicitly (`--cert`/`--key`).
    case explicit
  }

  /// The detected caller.
  public var client: Client
  /// The certificate file (leaf, or a full chain with the leaf first).
  public var certificatePath: String
  /// The private key file; nil when the certificate file also holds the key (lego `.pem`).
  public var keyPath: String?
  /// The chain file, when separate from the certificate.
  public var chainPath: String?
  /// Domains the ACME client says it renewed (may be empty).
  public var domains: [String]
  /// The certbot lineage directory, when called by certbot.
  public var lineage: String?

  /// Creates an invocation.
  public init(
    client: Client, certificatePath: String, keyPath: String?, chainPath: String? = nil, domains: [String] = [],
    lineage: String? = nil
  ) {
    self.client = client
    self.certificatePath = certificatePath
    self.keyPath = keyPath
    self.chainPath = chainPath
    self.domains = domains
    self.lineage = lineage
  }

  /// An invocation for files given explicitly on the command line.
  public static func explicit(
    certificatePath: String, keyPath: String?, chainPath: String? = nil, domains: [String] = []
  )
    -> HookInvocation
  {
    HookInvocation(
      client: .explicit, certificatePath: certificatePath, keyPath: keyPath, chainPath: chainPath, domains: domains)
  }

  /// Detects the calling ACME client from its environment and the hook's positional arguments.
  ///
  /// Order: certbot, lego v5, lego v4, acme.sh environment, acme.sh deploy-hook arguments
  /// (`domain keyPath certPath caPath fullchainPath`). Throws when nothing matches or data is incomplete.
  public static func detect(environment: [String: String], arguments: [String]) throws -> HookInvocation {
    // Values are used exactly as given: a path is never trimmed (".../example.test " is another lineage than
    // ".../example.test"); only an empty value counts as unset.
    func value(_ name: String) -> String? {
      guard let v = environment[name], !v.isEmpty else { return nil }
      return v
    }
    func split(_ s: String?, separators: Set<Character>) -> [String] {
      guard let s else { return [] }
      return s.split(whereSeparator: { separators.contains($0) || $0.isWhitespace }).map { $0.lowercased() }
    }

    if let lineage = value("RENEWED_LINEAGE") {
      let dir = lineage.hasSuffix("/") ? String(lineage.dropLast()) : lineage
      return HookInvocation(
        client: .certbot, certificatePath: dir + "/cert.pem", keyPath: dir + "/privkey.pem",
        chainPath: dir + "/chain.pem",
        domains: split(value("RENEWED_DOMAINS"), separators: [" "]), lineage: dir)
    }
    if let cert = value("LEGO_HOOK_CERT_PATH") ?? value("LEGO_HOOK_CERT_PEM_PATH") {
      let key = value("LEGO_HOOK_CERT_KEY_PATH")
      guard key != nil || value("LEGO_HOOK_CERT_PATH") == nil else {
        throw CertHookError.hookDetection("lego v5 set LEGO_HOOK_CERT_PATH but not LEGO_HOOK_CERT_KEY_PATH")
      }
      var domains = split(value("LEGO_HOOK_CERT_DOMAINS"), separators: [","])
      if domains.isEmpty { domains = split(value("LEGO_HOOK_CERT_DOMAIN"), separators: [","]) }
      return HookInvocation(client: .legoV5, certificatePath: cert, keyPath: key, chainPath: nil, domains: domains)
    }
    if let cert = value("LEGO_CERT_PATH") {
      guard let key = value("LEGO_CERT_KEY_PATH") else {
        throw CertHookError.hookDetection("lego set LEGO_CERT_PATH but not LEGO_CERT_KEY_PATH")
      }
      return HookInvocation(
        client: .legoV4, certificatePath: cert, keyPath: key, chainPath: nil,
        domains: split(value("LEGO_CERT_DOMAIN"), separators: [","]))
    }
    if let certPath = value("CERT_PATH") ?? value("CERT_FULLCHAIN_PATH") {
      guard let key = value("CERT_KEY_PATH") else {
        throw CertHookError.hookDetection("acme.sh set CERT_PATH but not CERT_KEY_PATH")
      }
      let usesLeafFile = value("CERT_PATH") != nil
      return HookInvocation(
        client: .acmeSh, certificatePath: certPath, keyPath: key,
        chainPath: usesLeafFile ? value("CA_CERT_PATH") : nil,
        domains: split(value("Le_Domain"), separators: [","]))
    }
    let positional = arguments.filter { !$0.isEmpty }
    if positional.count >= 3 {
      // acme.sh deploy hook: domain keyPath certPath caPath fullchainPath
      let domain = positional[0]
      let key = positional[1]
      let cert = positional[2]
      let ca = positional.count > 3 ? positional[3] : nil
      return HookInvocation(
        client: .acmeSh, certificatePath: cert, keyPath: key, chainPath: ca, domains: [domain.lowercased()])
    }
    if !positional.isEmpty {
      throw CertHookError.hookDetection(
        "got \(positional.count) argument(s); the acme.sh deploy hook passes domain, key path, cert path, ca path, fullchain path"
      )
    }
    throw CertHookError.hookDetection(
      "no ACME client detected: expected certbot (RENEWED_LINEAGE), acme.sh (CERT_PATH, CERT_KEY_PATH or deploy-hook "
        + "arguments), lego v4 (LEGO_CERT_PATH) or v5 (LEGO_HOOK_CERT_PATH), or explicit --cert/--key")
  }
}
