import Foundation

/// Where a deployment's certificate lives on disk.
public enum CertificateSource: Sendable, Codable, Equatable {
  /// A certbot lineage directory (`/etc/letsencrypt/live/NAME`).
  case certbotLineage(String)
  /// An acme.sh domain, with an optional acme.sh home (default `~/.acme.sh` resolved by the caller).
  case acmeShDomain(String, home: String?)
  /// Explicit files.
  case files(certificate: String, key: String, chain: String?)
  /// Any renewed certificate covering the deployment's domains (same as no source).
  case domainMatch
}

extension CertificateSource {
  /// Decodes `source:`: `domainMatch`, or a mapping naming a certbot lineage, an acme.sh domain or files.
  public init(from decoder: any Decoder) throws {
    let path = ConfigurationDecoder.path(decoder.codingPath)
    if let text = ConfigurationFields.scalar(decoder) {
      guard text == "domainMatch" || text == "domain-match" else {
        throw CertHookError.configuration(
          path: path,
          message: "\"\(text)\" is not a source; use certbotLineage, acmeShDomain, cert/key/chain or domainMatch")
      }
      self = .domainMatch
      return
    }
    let fields = try ConfigurationFields(
      decoder, known: ["certbotLineage", "acmeShDomain", "home", "cert", "key", "chain", "domainMatch"])
    if let lineage = try fields.string("certbotLineage") {
      self = .certbotLineage(lineage)
    } else if fields.has("acmeShDomain") {
      let home = try fields.string("home")
      self = .acmeShDomain(try fields.string("acmeShDomain") ?? "", home: home)
    } else if let certificate = try fields.value("cert") {
      guard fields.has("key") else { throw fields.error("key", "missing; `cert` needs a `key`") }
      let chain = try fields.string("chain")
      self = .files(
        certificate: try ConfigurationFields.string(certificate, path: fields.at("cert")),
        key: try fields.string("key") ?? "", chain: chain)
    } else if fields.has("domainMatch") {
      self = .domainMatch
    } else {
      throw fields.error(nil, "names no source; use certbotLineage, acmeShDomain, cert/key/chain or domainMatch")
    }
  }
}
