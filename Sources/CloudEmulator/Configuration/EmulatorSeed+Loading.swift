import Foundation
import Yams

/// Reading a seed file: YAML or JSON decoded with errors that name the key path, certificate paths made absolute
/// against the file's folder, and every ID, protocol and quota checked before the emulator starts.
extension EmulatorSeed {
  /// Loads a YAML or JSON seed file; relative certificate paths are resolved against its folder.
  public static func load(path: String) throws -> EmulatorSeed {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EmulatorError("seed file \(path): cannot be read")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw EmulatorError("seed file \(path): not UTF-8 text")
    }
    var seed: EmulatorSeed
    do {
      if text.drop(while: { $0.isWhitespace }).first == "{" {
        seed = try JSONDecoder().decode(EmulatorSeed.self, from: data)
      } else {
        seed = try YAMLDecoder().decode(EmulatorSeed.self, from: text)
      }
    } catch let error as DecodingError {
      throw EmulatorError("seed file \(path): \(describe(error))")
    } catch {
      throw EmulatorError("seed file \(path): \(error)")
    }
    let base = URL(fileURLWithPath: path).deletingLastPathComponent()
    seed.resolvePaths(relativeTo: base)
    try seed.validate(source: path)
    return seed
  }

  /// Checks that IDs are unique, protocols known and quotas sane.
  public func validate(source: String = "seed") throws {
    if accessKeys.isEmpty { throw EmulatorError("\(source): accessKeys must name at least one key") }
    try validateAccounts(source: source)
    var roleArns = Set<String>()
    for (i, role) in roles.enumerated() {
      guard role.accountId != nil else {
        throw EmulatorError("\(source): roles[\(i)].arn '\(role.arn)' is not acs:ram::<account>:role/<name>")
      }
      guard roleArns.insert(role.arn.lowercased()).inserted else {
        throw EmulatorError("\(source): roles[\(i)].arn '\(role.arn)' is used twice")
      }
      guard (3600...43200).contains(role.maxSessionDuration) else {
        throw EmulatorError("\(source): roles[\(i)].maxSessionDuration must be between 3600 and 43200 seconds")
      }
    }
    if let q = clbServerCertificateQuota, q < 0 {
      throw EmulatorError("\(source): clbServerCertificateQuota must not be negative")
    }
    var listenerIds = Set<String>()
    var lbIds = Set<String>()
    for (i, lb) in loadBalancers.enumerated() {
      guard lbIds.insert(lb.id).inserted else {
        throw EmulatorError("\(source): loadBalancers[\(i)].id '\(lb.id)' is used twice")
      }
      if let q = lb.certificateQuota, q < 0 {
        throw EmulatorError("\(source): loadBalancers[\(i)].certificateQuota must not be negative")
      }
      for (j, l) in lb.listeners.enumerated() {
        let id = l.resolvedId(loadBalancerId: lb.id, product: lb.product)
        guard !id.isEmpty else {
          throw EmulatorError("\(source): loadBalancers[\(i)].listeners[\(j)].id is missing")
        }
        guard listenerIds.insert(id).inserted else {
          throw EmulatorError("\(source): loadBalancers[\(i)].listeners[\(j)].id '\(id)' is used twice")
        }
        let protocols = lb.product.protocols
        guard protocols.contains(l.protocol) else {
          throw EmulatorError(
            "\(source): loadBalancers[\(i)].listeners[\(j)].protocol must be "
              + protocols.dropLast().joined(separator: ", ") + " or \(protocols.last ?? "") for \(lb.product.rawValue)")
        }
        guard (1...65535).contains(l.port) else {
          throw EmulatorError("\(source): loadBalancers[\(i)].listeners[\(j)].port must be between 1 and 65535")
        }
      }
    }
  }

  /// Makes every certificate path absolute against `base` (the seed file's folder): CAS preloads and listeners'
  /// default certificates, of the primary world and of every account.
  mutating func resolvePaths(relativeTo base: URL) {
    func resolve(_ files: inout CertificateFiles) {
      for keyPath in [\CertificateFiles.cert, \CertificateFiles.key] where !files[keyPath: keyPath].hasPrefix("/") {
        files[keyPath: keyPath] = base.appendingPathComponent(files[keyPath: keyPath]).path
      }
    }
    func resolve(_ certificates: inout [CertificateFiles], _ loadBalancers: inout [LoadBalancer]) {
      for i in certificates.indices { resolve(&certificates[i]) }
      for i in loadBalancers.indices {
        for j in loadBalancers[i].listeners.indices {
          guard var files = loadBalancers[i].listeners[j].defaultCertificate else { continue }
          resolve(&files)
          loadBalancers[i].listeners[j].defaultCertificate = files
        }
      }
    }
    resolve(&certificates, &loadBalancers)
    for a in accounts.indices {
      var account = accounts[a]
      resolve(&account.certificates, &account.loadBalancers)
      accounts[a] = account
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var out = ""
      for key in keys {
        if let index = key.intValue {
          out += "[\(index)]"
        } else {
          out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
      }
      return out.isEmpty ? "(top level)" : out
    }
    switch error {
    case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])): missing"
    case .typeMismatch(_, let ctx): return "\(path(ctx.codingPath)): \(ctx.debugDescription.lowercased())"
    case .valueNotFound(_, let ctx): return "\(path(ctx.codingPath)): missing value"
    case .dataCorrupted(let ctx): return "\(path(ctx.codingPath)): \(ctx.debugDescription.lowercased())"
    @unknown default: return "\(error)"
    }
  }
}
