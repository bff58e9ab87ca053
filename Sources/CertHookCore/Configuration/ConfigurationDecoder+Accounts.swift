import Foundation
import Yams

/// `accounts:` (a name and a credential source per account) and each target's `account:`/`region:`, with errors
/// naming the key path (`accounts[1].name`, `deployments[0].targets[2].account`).
extension ConfigurationDecoder {
  func accounts(_ node: Node, path: String) throws -> [AccountSettings] {
    guard let list = node.sequence else {
      throw CertHookError.configuration(
        path: path, message: "must be a list of accounts (name plus profile, accessKeyId/accessKeySecret or assumeRole)")
    }
    return try uniquelyNamed(list, path: path, name: \.name, duplicate: { "duplicate account name \"\($0)\"" }) {
      try account($0, path: $1)
    }
  }

  /// One `accounts[i]`: a name (not empty, not `default`) and the credential keys of `credentials:`.
  func account(_ item: Node, path: String) throws -> AccountSettings {
    let m = try mapping(item, path: path)
    let credentials = try self.credentials(item, path: path, extraKeys: ["name"])
    guard let nameNode = m.first(where: { $0.key.scalar?.string == "name" })?.value else {
      throw CertHookError.configuration(path: "\(path).name", message: "missing; every account needs a name")
    }
    let name = try string(nameNode, path: "\(path).name")
    guard !name.isEmpty, name != "default" else {
      throw CertHookError.configuration(
        path: "\(path).name", message: "must not be empty or \"default\" (targets without `account` use the default)")
    }
    return AccountSettings(name: name, credentials: credentials)
  }

  /// A target's `account:` and `region:` (both optional).
  func placement(_ m: [String: Node], path: String) throws -> TargetPlacement {
    var placement = TargetPlacement()
    if let n = m["account"] {
      let name = try string(n, path: "\(path).account")
      if name != "default" { placement.account = name }
    }
    if let n = m["region"] { placement.region = try region(n, path: "\(path).region") }
    return placement
  }

  func region(_ node: Node, path: String) throws -> String {
    let text = try string(node, path: path)
    guard TargetPlacement.isRegionId(text) else {
      throw CertHookError.configuration(path: path, message: "\"\(text)\" is not a region id (e.g. cn-hangzhou)")
    }
    return text
  }

  /// Every account a target names is in `accounts:`.
  func checkAccounts(_ config: CertHookConfiguration) throws {
    for (i, deployment) in config.deployments.enumerated() {
      for (j, placement) in deployment.placements.enumerated() {
        guard let name = placement.account, config.account(named: name) == nil else { continue }
        let known = config.accounts.map(\.name)
        throw CertHookError.configuration(
          path: "deployments[\(i)].targets[\(j)].account",
          message: "names no account in `accounts:` (\"\(name)\"; known: "
            + (known.isEmpty ? "none" : known.joined(separator: ", ")) + ")")
      }
    }
  }
}
